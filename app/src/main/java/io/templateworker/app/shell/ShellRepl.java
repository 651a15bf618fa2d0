package io.templateworker.app.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;

/**
 * The shell's two front ends. On a terminal: the "Fauxpas shell" banner, the {@code > } prompt with JLine line
 * editing and history, {@code exit} or Ctrl-D to quit, Ctrl-C abandoning the line being edited or interrupting the
 * running one. Scripted (stdin not a terminal): no banner or prompt, the same {@code Ok: ...} / {@code Error: ...}
 * lines, and a stop at the first error.
 */
public final class ShellRepl {
    public static final String BANNER = "Fauxpas shell";
    static final String PROMPT = "> ";
    static final String CONTINUATION = ">> ";

    private ShellRepl() {
    }

    /** Makes the shell once its input is known ({@code ctx:GetInput} reads from the same place as the REPL). */
    @FunctionalInterface
    public interface ShellFactory {
        FauxpasShell create(Function<String, String> input, PrintStream out);
    }

    /** The interactive session on {@code terminal}; history in {@code historyFile} (null: none). Returns the exit code 0. */
    public static int interactive(Terminal terminal, Path historyFile, ShellFactory factory) {
        if (terminal.getColumns() <= 0) {
            // a pseudo-terminal nobody sized (script, some CI runners): JLine would cut the prompt to nothing
            terminal.setSize(Size.of(80, Math.max(terminal.getRows(), 24)));
        }
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("fauxpas")
                // '!' is Luau's (not a history expansion); a tab is input, not a completion request
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .variable(LineReader.HISTORY_FILE_SIZE, 1000);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        LineReader reader = builder.build();
        PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
        Function<String, String> input = prompt -> {
            try {
                return reader.readLine(prompt);
            } catch (EndOfFileException | UserInterruptException e) {
                return null;
            }
        };
        try (FauxpasShell shell = factory.create(input, out)) {
            terminal.handle(Terminal.Signal.INT, signal -> shell.interrupt());
            out.println(BANNER);
            StringBuilder entry = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(entry.isEmpty() ? PROMPT : CONTINUATION);
                } catch (UserInterruptException e) {
                    entry.setLength(0); // Ctrl-C while editing: drop what was typed
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (isExit(entry, line)) {
                    break;
                }
                FauxpasShell.Outcome outcome = feed(shell, entry, line);
                if (outcome != null) {
                    out.println(outcome.line());
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                // history is a convenience: losing it is not an error
            }
        }
        return 0;
    }

    /**
     * Runs the lines of {@code in} as the REPL does, printing {@code Ok: ...} / {@code Error: ...} to {@code out};
     * returns 1 at the first error (or an unfinished statement at the end), else 0.
     */
    public static int scripted(BufferedReader in, PrintStream out, ShellFactory factory) {
        Function<String, String> input = prompt -> readLine(in);
        try (FauxpasShell shell = factory.create(input, out)) {
            StringBuilder entry = new StringBuilder();
            String line;
            while ((line = readLine(in)) != null) {
                if (isExit(entry, line)) {
                    break;
                }
                FauxpasShell.Outcome outcome = feed(shell, entry, line);
                if (outcome == null) {
                    continue;
                }
                out.println(outcome.line());
                out.flush();
                if (!outcome.ok()) {
                    return 1;
                }
            }
            if (!entry.isEmpty()) {
                out.println("Error: " + shell.eval(entry.toString()).text() + " (the input ended inside a statement)");
                out.flush();
                return 1;
            }
            return 0;
        }
    }

    /** {@code exit} alone on a line quits, but not in the middle of a statement (it may be a variable there). */
    private static boolean isExit(StringBuilder entry, String line) {
        return entry.isEmpty() && line.strip().equals("exit");
    }

    /**
     * Adds {@code line} to the statement being entered ({@code entry}) and runs it once it is complete. Returns its
     * outcome, or null when nothing ran (a blank line, or the statement goes on on the next line).
     */
    private static FauxpasShell.Outcome feed(FauxpasShell shell, StringBuilder entry, String line) {
        if (entry.isEmpty() && line.isBlank()) {
            return null;
        }
        if (!entry.isEmpty()) {
            entry.append('\n');
        }
        entry.append(line);
        FauxpasShell.Outcome outcome = shell.eval(entry.toString());
        if (outcome.kind() == FauxpasShell.Outcome.Kind.INCOMPLETE) {
            return null;
        }
        entry.setLength(0);
        return outcome;
    }

    private static String readLine(BufferedReader in) {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
