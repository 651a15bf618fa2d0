package io.templateworker.app.shell;

import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.StateOptions;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Ops;
import io.templateworker.runtime.modules.CoreModules;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Fauxpas shell's evaluator (UPSTREAM.md §9): one Luau VM with no time limit whose globals hold {@code ctx} (the
 * {@link ShellContext}), {@code last} (the value of the last line that worked), {@code lasterror} (the last error) and
 * {@code mod} (staff utilities). Each line is first tried as {@code return <line>}, else run as a statement; it runs
 * as a task, so it may wait on the host and on {@code task.wait}; {@link #interrupt()} (Ctrl-C) stops it.
 *
 * <p>Confined to one thread, except {@link #interrupt()}.
 */
public final class FauxpasShell implements AutoCloseable {
    static final String CHUNK = "/init.luau";
    private static final LuauString LAST = LuauString.of("last");
    private static final LuauString LAST_ERROR = LuauString.of("lasterror");

    /** What one entry gave: {@code Ok: ...}, {@code Error: ...}, or more lines needed (an unfinished statement). */
    public record Outcome(Kind kind, String text) {
        public enum Kind { OK, ERROR, INCOMPLETE }

        public boolean ok() {
            return kind == Kind.OK;
        }

        /** The line the shell prints: {@code Ok: <values>} or {@code Error: <message>} followed by its traceback. */
        public String line() {
            return (kind == Kind.OK ? "Ok: " : "Error: ") + text;
        }
    }

    private final LuauState state;
    private final LuauTable env;
    private volatile boolean interrupted;
    private volatile boolean running;

    /**
     * @param input reads a line for {@code ctx:GetInput(prompt)} (null at the end of input)
     * @param out   where {@code print} and {@code ctx:Log} write
     */
    public FauxpasShell(ShellServices services, Function<String, String> input, PrintStream out) {
        // Staff code: no time limit (Ctrl-C instead) and no heap cap; the call depth stays bounded by the Java stack.
        this.state = LuauState.create(StateOptions.defaults().withLimits(Limits.unlimited()).withStdout(out));
        CoreModules.install(state);
        this.env = state.newEnvironment();
        env.rawset(LuauString.of("ctx"), ShellContext.create(state, services, input, out));
        Object[] mod = runChunk(state.load(Luau.compile(modSource(), "@fauxpas/mod"), env));
        env.rawset(LuauString.of("mod"), mod.length > 0 ? mod[0] : null);
    }

    private static String modSource() {
        try (InputStream in = FauxpasShell.class.getResourceAsStream("mod.luau")) {
            if (in == null) {
                throw new IllegalStateException("mod.luau is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs one entry (one line, or the lines of an unfinished statement joined by newlines). An entry that is a
     * statement the compiler finds unfinished ({@code ... got <eof>}) gives {@link Outcome.Kind#INCOMPLETE}: the caller
     * reads another line and passes both.
     */
    public Outcome eval(String source) {
        Chunk chunk;
        try {
            chunk = Luau.compile("return " + source, CHUNK);
        } catch (CompileError notAnExpression) {
            try {
                chunk = Luau.compile(source, CHUNK);
            } catch (CompileError e) {
                String message = e.firstMessage();
                if (message.endsWith("<eof>")) {
                    return new Outcome(Outcome.Kind.INCOMPLETE, message);
                }
                env.rawset(LAST_ERROR, LuauString.of(message));
                return new Outcome(Outcome.Kind.ERROR, message);
            }
        }
        LuauFunction fn = state.load(chunk, env);
        try {
            Object[] values = runChunk(fn);
            env.rawset(LAST, values.length > 0 ? values[0] : null);
            return new Outcome(Outcome.Kind.OK, ShellContext.pretty(state, state.vm().mainThread(), values));
        } catch (LuauError e) {
            String message = interrupted ? "interrupted (Ctrl-C)" : errorText(e);
            env.rawset(LAST_ERROR, interrupted ? LuauString.of(message) : e.value());
            String traceback = e.traceback();
            return new Outcome(Outcome.Kind.ERROR, traceback == null || traceback.isBlank() || interrupted ? message
                    : message + "\n" + traceback.stripTrailing());
        } finally {
            interrupted = false;
        }
    }

    private String errorText(LuauError e) {
        Object v = e.value();
        if (v instanceof LuauString || v instanceof Double || v == null) {
            return e.getMessage();
        }
        try {
            return ShellContext.pretty(state, state.vm().mainThread(), new Object[] {v});
        } catch (LuauError ignored) {
            return e.getMessage();
        }
    }

    /**
     * Runs {@code fn} as a scheduler task (so it may yield to the host and wait on timers) and drives the scheduler
     * until it ends; background tasks it started keep running whenever a later entry drives the scheduler.
     */
    private Object[] runChunk(LuauFunction fn) {
        Object[][] result = new Object[1][];
        LuauError[] failure = new LuauError[1];
        boolean[] done = new boolean[1];
        LuauFunction body = LuauFunction.host("fauxpas", (L, a) -> {
            try {
                result[0] = Ops.call(L, fn, LuauFunction.NONE);
            } catch (LuauError e) {
                if (e.traceback() == null) {
                    e.setTraceback(L.traceback(null, 1));
                }
                failure[0] = e;
            } catch (RuntimeException e) {
                LuauError le = LuauObjects.asLuauError(e);
                le.setTraceback(L.traceback(null, 1));
                failure[0] = le;
            } finally {
                done[0] = true;
            }
            return LuauFunction.NONE;
        });
        running = true;
        try {
            LuauThread[] task = new LuauThread[1];
            state.call(LuauFunction.host("spawn", (L, a) -> {
                task[0] = state.scheduler().spawn(L, body, LuauFunction.NONE);
                return LuauFunction.NONE;
            }));
            while (!done[0]) {
                if (interrupted) {
                    cancel(task[0]);
                    throw LuauError.runtime("interrupted (Ctrl-C)");
                }
                try {
                    state.scheduler().awaitWork(TimeUnit.MILLISECONDS.toNanos(50));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel(task[0]);
                    throw LuauError.runtime("interrupted");
                }
                state.runPending();
            }
        } finally {
            running = false;
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0] == null ? LuauFunction.NONE : result[0];
    }

    private void cancel(LuauThread task) {
        try {
            if (task != null) {
                state.scheduler().cancel(task);
            }
        } catch (LuauError ignored) {
            // already finished
        }
    }

    /** Ctrl-C: stops the running entry (any thread); it ends with {@code Error: interrupted (Ctrl-C)}. */
    public void interrupt() {
        if (running) {
            interrupted = true;
            state.interrupt();
        }
    }

    /** Whether an entry is running now (Ctrl-C then interrupts it rather than the line being edited). */
    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        state.close();
    }
}
