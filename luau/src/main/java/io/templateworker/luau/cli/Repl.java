package io.templateworker.luau.cli;

import io.templateworker.luau.compiler.Compiler;
import io.templateworker.luau.compiler.Compiler.ReplEntry;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.Cell;
import io.templateworker.luau.vm.LuauClosure;
import io.templateworker.luau.vm.Proto;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interactive session of {@code bin/luau}, as the reference CLI's: each line is first tried as an
 * expression ({@code return <line>}) whose values are printed; otherwise it is a statement, and a statement the
 * compiler finds unfinished ("... got <eof>") waits for more lines. Each entry runs in a new thread; errors are
 * printed with a stack backtrace and the session goes on. Unlike the reference, locals declared by an entry stay
 * visible to later entries (each entry's top-level locals live in cells the session keeps), so
 * {@code local x = 2} then {@code print(x * 21)} prints 42.
 */
final class Repl {
  static final String CHUNK = "stdin";
  private static final LuauString PRETTY_PRINT = LuauString.of("_PRETTYPRINT");
  private static final LuauString PRINT = LuauString.of("print");

  private final LuauState state;
  private final LuauTable env;
  private final PrintStream out;
  /** Names of the locals declared so far, in declaration order (a name may appear once). */
  private final List<String> names = new ArrayList<>();
  private final Map<String, Cell> cells = new HashMap<>();

  Repl(LuauState state, LuauTable env, PrintStream out) {
    this.state = state;
    this.env = env;
    this.out = out;
  }

  /** Reads and runs entries until the end of input. */
  void run(LineSource lines) {
    lines.onInterrupt(state::interrupt);
    try {
      StringBuilder buffer = new StringBuilder();
      while (true) {
        out.flush();
        String line = lines.readLine(buffer.isEmpty() ? "> " : ">> ");
        if (line == null) {
          break;
        }
        if (buffer.isEmpty()) {
          ReplEntry expression = compileOrNull("return " + line);
          if (expression != null) {
            run(expression);
            lines.addHistory(line);
            continue;
          }
        } else {
          buffer.append('\n');
        }
        buffer.append(line);
        String source = buffer.toString();
        ReplEntry entry;
        try {
          entry = compile(source);
        } catch (CompileError e) {
          if (e.firstMessage().endsWith("<eof>")) {
            continue; // unfinished statement: read on
          }
          out.println(e.firstMessage());
          lines.addHistory(source);
          buffer.setLength(0);
          continue;
        }
        run(entry);
        lines.addHistory(source);
        buffer.setLength(0);
      }
    } finally {
      lines.onInterrupt(null);
      out.flush();
    }
  }

  private ReplEntry compile(String source) {
    return Compiler.compileReplEntry(source.getBytes(StandardCharsets.UTF_8), CHUNK, names);
  }

  private ReplEntry compileOrNull(String source) {
    try {
      return compile(source);
    } catch (CompileError e) {
      return null;
    }
  }

  /** Runs one entry; prints its values or its error; keeps the top-level locals it declared. */
  private void run(ReplEntry entry) {
    Proto main = entry.chunk().main();
    Cell[] upvals = new Cell[main.upvalNames.length];
    for (int i = 0; i < upvals.length; i++) {
      upvals[i] = cells.get(main.upvalNames[i]);
    }
    LuauClosure fn = new LuauClosure(main, upvals, env);
    Object[] slots = new Object[main.frameSize];
    LuauFunction body = LuauFunction.host("stdin", (L, a) -> fn.execute(L, slots, LuauFunction.NONE));
    Object[] results;
    try {
      results = Main.runInThread(state, body, LuauFunction.NONE, env);
    } catch (Main.Yielded y) {
      out.println("thread yielded unexpectedly");
      out.print("stack backtrace:\n" + y.traceback());
      return;
    } catch (LuauError e) {
      out.println(Main.errorText(state, e));
      out.print("stack backtrace:\n" + (e.traceback() == null ? "" : e.traceback()));
      return;
    }
    keepLocals(entry, slots);
    if (results.length > 0) {
      Object printer = env.rawget(PRETTY_PRINT);
      if (printer == null) {
        printer = io.templateworker.luau.vm.Ops.index(state.vm().mainThread(), env, PRINT);
      }
      try {
        state.call(printer, results);
      } catch (LuauError e) {
        out.println(Main.errorText(state, e));
      }
    }
  }

  private void keepLocals(ReplEntry entry, Object[] slots) {
    for (int i = 0; i < entry.topNames().length; i++) {
      if (slots[entry.topSlots()[i]] instanceof Cell c) {
        String name = entry.topNames()[i];
        if (cells.put(name, c) == null) {
          names.add(name);
        }
      }
    }
  }
}
