package io.templateworker.luau.errors;

import java.util.List;

/**
 * Source that does not compile: syntax errors from the parser or compile-time limits from the compiler.
 * Each message reads "chunk:line:col: message" (the CLI's --compile-only format).
 */
public final class CompileError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String chunkName;
  private final List<Diagnostic> diagnostics;

  /** One problem at a source position (1-based line and column). */
  public record Diagnostic(int line, int column, String message) {
  }

  public CompileError(String chunkName, List<Diagnostic> diagnostics) {
    super(null, null, false, false);
    this.chunkName = chunkName;
    this.diagnostics = List.copyOf(diagnostics);
  }

  public String chunkName() {
    return chunkName;
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** "chunk:line: message" of the first problem, the form loadstring returns and runtime errors use. */
  public String firstMessage() {
    Diagnostic d = diagnostics.get(0);
    return chunkName + ":" + d.line() + ": " + d.message();
  }

  /** Every problem as "chunk:line:col: message", one per line. */
  @Override
  public String getMessage() {
    StringBuilder b = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(chunkName).append(':').append(d.line()).append(':').append(d.column()).append(": ")
          .append(d.message());
    }
    return b.toString();
  }
}
