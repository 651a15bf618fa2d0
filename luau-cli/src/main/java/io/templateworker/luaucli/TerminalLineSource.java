package io.templateworker.luaucli;

import io.templateworker.luau.cli.LineSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * bin/luau's interactive session on a terminal: JLine line editing, history kept in a file (the session's history
 * file, e.g. {@code ~/.luau_history}), Ctrl-C dropping the line being edited or interrupting the running entry,
 * Ctrl-D ending the session.
 */
public final class TerminalLineSource implements LineSource {
  private final Terminal terminal;
  private final LineReader reader;

  TerminalLineSource(Terminal terminal, String historyFile) {
    this.terminal = terminal;
    if (terminal.getColumns() <= 0) {
      // a pseudo-terminal nobody sized (script, some CI runners): JLine would cut the prompt to nothing
      terminal.setSize(Size.of(80, Math.max(terminal.getRows(), 24)));
    }
    LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("luau")
        // '!' is Luau's (not a history expansion); a tab is input, not a completion request
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .option(LineReader.Option.INSERT_TAB, true)
        .variable(LineReader.HISTORY_FILE_SIZE, 1000);
    if (historyFile != null) {
      b.variable(LineReader.HISTORY_FILE, Path.of(historyFile));
    }
    this.reader = b.build();
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException e) {
      // Ctrl-C while editing: the line is dropped; an empty line runs nothing
      return "";
    } catch (EndOfFileException e) {
      return null;
    }
  }

  /** Lines are added as they are read; a multi-line entry therefore stays as its lines (Up recalls each). */
  @Override
  public void addHistory(String entry) {
    // JLine already recorded every line read
  }

  History history() {
    return reader.getHistory();
  }

  @Override
  public void onInterrupt(Runnable interrupt) {
    terminal.handle(Terminal.Signal.INT, interrupt == null ? Terminal.SignalHandler.SIG_DFL : s -> interrupt.run());
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
      terminal.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registered as a service: opens the process's terminal, or declines (null) when there is none. */
  public static final class Provider implements LineSource.Provider {
    @Override
    public LineSource open(String historyFile) {
      try {
        Terminal t = TerminalBuilder.builder().system(true).dumb(false).build();
        return new TerminalLineSource(t, historyFile);
      } catch (IOException | IllegalStateException e) {
        return null; // no usable terminal: the session reads plain lines
      }
    }
  }
}
