package io.templateworker.luau.parser;

/**
 * One syntax error, worded like Luau's parser.
 *
 * @param line 1-based line of the offending token
 * @param column 1-based byte column of the offending token
 */
public record ParseError(int line, int column, String message) {

  /** {@code line:column: message}, the form {@code luau --compile-only} prints after the file name. */
  @Override
  public String toString() {
    return line + ":" + column + ": " + message;
  }
}
