package io.templateworker.luau.lexer;

/**
 * A region of source text. Lines and columns are 1-based; columns count bytes. The end position is
 * exclusive: it is the position just past the last byte of the region.
 */
public record Span(int line, int column, int endLine, int endColumn) {

  /** A zero-width span used for synthesized nodes that have no source text of their own. */
  public static final Span NONE = new Span(0, 0, 0, 0);

  @Override
  public String toString() {
    return line + ":" + column + "-" + endLine + ":" + endColumn;
  }
}
