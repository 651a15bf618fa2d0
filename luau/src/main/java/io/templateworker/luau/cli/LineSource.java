package io.templateworker.luau.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

/**
 * Where the REPL reads its input lines. The engine module has no dependencies, so line editing and history on a
 * terminal come from another module ({@code luau-cli}, JLine) through {@link java.util.ServiceLoader}; without
 * it, or when stdin is not a terminal, lines are read plainly and no prompt is printed.
 */
public interface LineSource extends AutoCloseable {
  /** The next line without its line terminator, or null at end of input. */
  String readLine(String prompt);

  /** Records a complete entry (possibly several lines) in the history. */
  default void addHistory(String entry) {
  }

  /**
   * Called with the action that interrupts the running entry (Ctrl-C on a terminal) before the session starts,
   * and with null when it ends.
   */
  default void onInterrupt(Runnable interrupt) {
  }

  @Override
  default void close() {
  }

  /** Makes a terminal line source; implementations are registered as services. */
  interface Provider {
    /** A source reading the terminal with line editing and history, or null when it cannot. */
    LineSource open(String historyFile);
  }

  /**
   * A source for an interactive session: the first {@link Provider} that can open the terminal when stdin and
   * stdout are one, else plain lines from {@code in} with no prompt.
   */
  static LineSource forSession(InputStream in, boolean terminal, String historyFile) {
    if (terminal) {
      for (Provider p : ServiceLoader.load(Provider.class)) {
        LineSource s = p.open(historyFile);
        if (s != null) {
          return s;
        }
      }
    }
    return plain(in, terminal ? System.out : null);
  }

  /** Lines from a stream; prompts go to {@code prompts} (a terminal without line editing), or nowhere if null. */
  static LineSource plain(InputStream in, java.io.PrintStream prompts) {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return prompt -> {
      if (prompts != null) {
        prompts.print(prompt);
        prompts.flush();
      }
      try {
        return r.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
