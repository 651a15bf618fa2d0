package io.templateworker.app.shell;

import static io.templateworker.app.shell.LuauObjects.offVm;
import static io.templateworker.app.shell.LuauObjects.one;
import static io.templateworker.app.shell.LuauObjects.string;
import static io.templateworker.app.shell.LuauObjects.strings;
import static io.templateworker.app.shell.LuauObjects.tenant;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.JsonLuau;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.modules.CoreModules;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.ReviewState;
import io.templateworker.runtime.store.TenantId;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The shell's {@code ctx} (UPSTREAM.md §9): {@code CreateKvGod}, {@code RegisterGlobalCommands}, {@code GetInput},
 * {@code Log}, {@code SetTenantCanManageGuildCommands} (the staff switch for guild commands from templates), and the
 * staff APIs upstream defined but never wired: {@code SetTenantBanState},
 * {@code SetGlobalKvReviewState}, {@code CreateDbClient}, and {@code GetPool} (pool and worker handles).
 */
final class ShellContext {
    private ShellContext() {
    }

    /**
     * @param input reads one line of input after showing a prompt (null at the end of input)
     * @param out   where {@code Log} writes
     */
    static LuauTable create(LuauState state, ShellServices services, Function<String, String> input, PrintStream out) {
        return new LuauObjects.Builder("ShellContext")
                .method("CreateKvGod", (L, a) -> one(kvGod(state, services.stores().kv())))
                .method("RegisterGlobalCommands", (L, a) -> registerGlobalCommands(state, services, L, a))
                .method("GetInput", (L, a) -> {
                    String prompt = a.length > 0 && a[0] != null ? string(a, 0, "ShellContext:GetInput", "prompt") : "";
                    String line = offVm(state, L, () -> input.apply(prompt));
                    return one(line == null ? null : LuauString.of(line));
                })
                .method("Log", (L, a) -> {
                    out.println(pretty(state, L, a));
                    out.flush();
                    return LuauFunction.NONE;
                })
                .method("SetTenantBanState", (L, a) -> {
                    TenantId id = tenant(a, 0, "ShellContext:SetTenantBanState");
                    if (!(a.length > 1 && a[1] instanceof Boolean banned)) {
                        throw LuauError.runtime("invalid argument #2 to 'ShellContext:SetTenantBanState' (banned: boolean expected)");
                    }
                    offVm(state, L, () -> {
                        services.stores().tenantStates().setBanned(id, banned);
                        services.serviceDrop().accept(id); // the running service re-reads the state on the next event
                        return null;
                    });
                    return LuauFunction.NONE;
                })
                .method("SetTenantCanManageGuildCommands", (L, a) -> {
                    TenantId id = tenant(a, 0, "ShellContext:SetTenantCanManageGuildCommands");
                    if (!(a.length > 1 && a[1] instanceof Boolean allowed)) {
                        throw LuauError.runtime("invalid argument #2 to 'ShellContext:SetTenantCanManageGuildCommands'"
                                + " (allowed: boolean expected)");
                    }
                    offVm(state, L, () -> {
                        services.stores().tenantStates().setCanManageGuildCommands(id, allowed);
                        services.serviceDrop().accept(id); // the running service re-reads the state on the next event
                        return null;
                    });
                    return LuauFunction.NONE;
                })
                .method("SetGlobalKvReviewState", (L, a) -> {
                    String fn = "ShellContext:SetGlobalKvReviewState";
                    String key = string(a, 0, fn, "key");
                    int version = (int) number(a, 1, fn, "version");
                    ReviewState review = ReviewState.parse(string(a, 2, fn, "state"));
                    String scope = string(a, 3, fn, "scope");
                    offVm(state, L, () -> {
                        services.stores().globalKv().setReviewState(key, version, scope, review);
                        return null;
                    });
                    return LuauFunction.NONE;
                })
                .method("CreateDbClient", (L, a) -> one(DbClient.create(state, services.dataSource())))
                .method("GetPool", (L, a) -> one(StaffHandles.pool(state, services.pool().get())))
                .build();
    }

    /** {@code Log(...)}'s and the REPL's text of values: {@code @antiraid/luau}'s {@code format} (strings quoted, tables expanded). */
    static String pretty(LuauState state, LuauThread L, Object[] values) {
        Object luau = CoreModules.module(state, L, "@antiraid/luau");
        Object format = luau instanceof LuauTable t ? t.rawget(LuauString.of("format")) : null;
        if (format == null) {
            return java.util.Arrays.toString(values);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(io.templateworker.luau.vm.Ops.call(L, format, new Object[] {values[i]})[0]);
        }
        return values.length == 0 ? "nil" : sb.toString();
    }

    static double number(Object[] a, int i, String fn, String name) {
        if (i < a.length && a[i] instanceof Double d) {
            return d;
        }
        if (i < a.length && a[i] instanceof LuauString s) {
            try {
                return Double.parseDouble(s.toString().trim());
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw LuauError.runtime("invalid argument #" + (i + 1) + " to '" + fn + "' (" + name + ": number expected)");
    }

    /** {@code KvGod}: any tenant's KV, straight to the database ({@code id} is {@code {tenant_type, tenant_id}}). */
    static LuauTable kvGod(LuauState state, KvStore kv) {
        return new LuauObjects.Builder("KvGod")
                .method("Get", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:Get");
                    List<String> scopes = strings(a, 1, "KvGod:Get", "scopes");
                    String key = string(a, 2, "KvGod:Get", "key");
                    KvRecord r = offVm(state, L, () -> kv.get(id, scopes, key));
                    return one(r == null ? null : KhronosLuau.toLuau(r.value()));
                })
                .method("GetRecord", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:GetRecord");
                    List<String> scopes = strings(a, 1, "KvGod:GetRecord", "scopes");
                    String key = string(a, 2, "KvGod:GetRecord", "key");
                    KvRecord r = offVm(state, L, () -> kv.get(id, scopes, key));
                    return one(r == null ? null : record(r));
                })
                .method("ListScopes", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:ListScopes");
                    List<String> scopes = offVm(state, L, () -> kv.listScopes(id));
                    return one(Tables.strings(scopes, false));
                })
                .method("Set", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:Set");
                    List<String> scopes = strings(a, 1, "KvGod:Set", "scopes");
                    String key = string(a, 2, "KvGod:Set", "key");
                    KhronosValue value = KhronosLuau.toKhronos(a.length > 3 ? a[3] : null);
                    offVm(state, L, () -> kv.set(id, scopes, key, value));
                    return LuauFunction.NONE;
                })
                .method("Delete", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:Delete");
                    List<String> scopes = strings(a, 1, "KvGod:Delete", "scopes");
                    String key = string(a, 2, "KvGod:Delete", "key");
                    return one(offVm(state, L, () -> kv.delete(id, scopes, key)));
                })
                .method("Find", (L, a) -> {
                    TenantId id = tenant(a, 0, "KvGod:Find");
                    List<String> scopes = strings(a, 1, "KvGod:Find", "scopes");
                    String pattern = string(a, 2, "KvGod:Find", "pattern");
                    List<KvRecord> found = offVm(state, L, () -> kv.find(id, scopes, pattern));
                    LuauTable t = new LuauTable(found.size(), 0);
                    for (int i = 0; i < found.size(); i++) {
                        t.rawset(i + 1, record(found.get(i)));
                    }
                    return one(t);
                })
                .build();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The {@code id} of Discord's user object (the bot's id is its application id). */
    private static String botId(String userJson) {
        try {
            com.fasterxml.jackson.databind.JsonNode id = JSON.readTree(userJson).path("id");
            return id.isTextual() ? id.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static LuauTable record(KvRecord r) {
        return Tables.of("id", LuauString.of(r.id()), "key", LuauString.of(r.key()), "value", KhronosLuau.toLuau(r.value()),
                "scopes", Tables.strings(r.scopes(), false), "created_at", time(r.createdAt()),
                "last_updated_at", time(r.lastUpdatedAt()), "expires_at", time(r.expiresAt()), "resume", r.resume());
    }

    private static Object time(Instant i) {
        return Tables.dateTime(i);
    }

    /**
     * {@code RegisterGlobalCommands(cmds)}: Discord's bulk overwrite of the bot's global commands (the mock in local
     * mode); returns the commands Discord stored.
     */
    private static Object[] registerGlobalCommands(LuauState state, ShellServices services, LuauThread L, Object[] a) {
        if (!(a.length > 0 && a[0] instanceof LuauTable)) {
            throw LuauError.runtime("invalid argument #1 to 'ShellContext:RegisterGlobalCommands' (commands: array of commands expected)");
        }
        String body = JsonLuau.toJson(L, a[0], false);
        if (body.equals("{}")) {
            body = "[]"; // an empty table is an empty list of commands
        }
        String json = body;
        String answer = offVm(state, L, () -> {
            DiscordResponse me = services.discord().execute(DiscordRequest.get("/users/@me"));
            String appId = botId(me.body());
            if (appId == null) {
                throw LuauError.runtime("Discord did not say the bot's id (GET /users/@me)");
            }
            return services.discord().execute(DiscordRequest.of("PUT", "/applications/{application_id}/commands", appId)
                    .withBody(json)).body();
        });
        return one(answer.isEmpty() ? null : JsonLuau.fromJson(L, answer));
    }
}
