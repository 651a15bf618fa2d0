package io.templateworker.app.shell;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Meta;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The shell's Luau objects ({@code ctx}, KvGod, worker and pool handles): tables whose methods are called with a colon
 * as upstream's userdata ({@code ctx:CreateKvGod()}); calling them with a dot works too. Slow work (the database, a
 * worker) runs off the VM thread while the line waits, so Ctrl-C can interrupt it.
 */
final class LuauObjects {
    private static final Executor OFF_VM = Executors.newVirtualThreadPerTaskExecutor();

    private LuauObjects() {
    }

    /** A method body: {@code args} excludes {@code self}. */
    @FunctionalInterface
    interface Method {
        Object[] call(LuauThread L, Object[] args);
    }

    /** Builds an object named {@code type} (shown by tostring) with {@code methods}; {@code len} answers {@code #obj}. */
    static final class Builder {
        private final String type;
        private final Map<String, Method> methods = new LinkedHashMap<>();
        private IntSupplier len;

        Builder(String type) {
            this.type = type;
        }

        Builder method(String name, Method body) {
            methods.put(name, body);
            return this;
        }

        Builder len(IntSupplier len) {
            this.len = len;
            return this;
        }

        LuauTable build() {
            LuauTable self = new LuauTable(0, methods.size());
            for (Map.Entry<String, Method> m : methods.entrySet()) {
                String qualified = type + ":" + m.getKey();
                Method body = m.getValue();
                HostFunction fn = (L, a) -> {
                    try {
                        return body.call(L, a.length > 0 && a[0] == self ? java.util.Arrays.copyOfRange(a, 1, a.length) : a);
                    } catch (LuauError e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // a store's refusal ("unknown review state ...") becomes a Luau error pcall can catch
                        throw asLuauError(e);
                    }
                };
                self.rawset(LuauString.of(m.getKey()), LuauFunction.host(qualified, fn));
            }
            LuauTable meta = new LuauTable();
            meta.rawset(Meta.TOSTRING, LuauFunction.host(type + ".__tostring", (L, a) -> new Object[] {LuauString.of(type)}));
            meta.rawset(Meta.TYPE, LuauString.of(type));
            if (len != null) {
                IntSupplier n = len;
                meta.rawset(Meta.LEN, LuauFunction.host(type + ".__len", (L, a) -> new Object[] {(double) n.getAsInt()}));
            }
            meta.rawset(Meta.METATABLE, LuauString.of("The metatable is locked"));
            self.setMetatable(meta);
            self.freeze();
            return self;
        }
    }

    /**
     * Runs {@code work} on a virtual thread while the calling Luau code waits (a task yields; Ctrl-C stops the wait),
     * and returns its result on the VM thread, where it may be turned into Luau values.
     */
    static <T> T offVm(LuauState state, LuauThread L, Supplier<T> work) {
        Object[] box = state.await(L, CompletableFuture.supplyAsync(() -> new Object[] {work.get()}, OFF_VM)
                .exceptionallyCompose(e -> CompletableFuture.failedFuture(asLuauError(e))));
        @SuppressWarnings("unchecked")
        T value = (T) box[0];
        return value;
    }

    /** The same for an operation that is already a future (a worker call). */
    static <T> T await(LuauState state, LuauThread L, CompletableFuture<T> work) {
        Object[] box = state.await(L, work.handle((v, e) -> {
            if (e != null) {
                throw new java.util.concurrent.CompletionException(asLuauError(e));
            }
            return new Object[] {v};
        }));
        @SuppressWarnings("unchecked")
        T value = (T) box[0];
        return value;
    }

    /** A host failure as a Luau error whose text says what failed (never a Java class name). */
    static LuauError asLuauError(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LuauError le) {
            return le;
        }
        String message = t.getMessage();
        return LuauError.runtime(message == null || message.isBlank() ? "operation failed (" + t.getClass().getSimpleName() + ")" : message);
    }

    /**
     * A tenant id as upstream's shell takes it: {@code {tenant_type = "guild" | "user", tenant_id = "123"}}; a bare
     * snowflake (string or number) means a guild.
     */
    static TenantId tenant(Object[] args, int i, String fn) {
        Object v = i < args.length ? args[i] : null;
        try {
            if (v instanceof LuauString || v instanceof Double || v instanceof Long) {
                return TenantId.parse("guild", snowflake(v));
            }
            if (v instanceof LuauTable t) {
                Object type = t.rawget(LuauString.of("tenant_type"));
                Object id = t.rawget(LuauString.of("tenant_id"));
                if (type instanceof LuauString ts && id != null) {
                    return TenantId.parse(ts.toString().toLowerCase(Locale.ROOT), snowflake(id));
                }
            }
        } catch (StoreException e) {
            throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn + "' (id: " + e.getMessage() + ")");
        }
        throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn
                + "' (id: expected {tenant_type = \"guild\" | \"user\", tenant_id = \"<snowflake>\"} or a guild id)");
    }

    private static String snowflake(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && d > 0) {
            return Long.toString((long) (double) d);
        }
        return String.valueOf(v);
    }

    /** A list of strings from a Luau array (the KV scopes). */
    static List<String> strings(Object[] args, int i, String fn, String name) {
        Object v = i < args.length ? args[i] : null;
        if (v instanceof LuauString s) {
            return List.of(s.toString());
        }
        if (v instanceof LuauTable t) {
            List<String> out = new java.util.ArrayList<>();
            for (int k = 1; k <= t.length(); k++) {
                if (!(t.rawget(k) instanceof LuauString s)) {
                    throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn + "' (" + name + ": item " + k
                            + " is not a string)");
                }
                out.add(s.toString());
            }
            return out;
        }
        throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn + "' (" + name + ": array of strings expected)");
    }

    static String string(Object[] args, int i, String fn, String name) {
        Object v = i < args.length ? args[i] : null;
        if (v instanceof LuauString s) {
            return s.toString();
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString((long) (double) d);
        }
        throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn + "' (" + name + ": string expected, got "
                + typeName(v) + ")");
    }

    static String typeName(Object v) {
        if (v == null) {
            return "nil";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Double) {
            return "number";
        }
        if (v instanceof LuauTable) {
            return "table";
        }
        if (v instanceof LuauFunction) {
            return "function";
        }
        return "userdata";
    }

    static Object[] one(Object v) {
        return new Object[] {v};
    }
}
