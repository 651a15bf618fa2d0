package io.templateworker.luau.parser;

import io.templateworker.luau.ast.Block;
import io.templateworker.luau.lexer.HotComment;
import java.util.List;

/**
 * The outcome of parsing one chunk. When {@link #errors()} is not empty the chunk is a best-effort
 * tree built while recovering and must not be compiled.
 */
public record ParseResult(
    String chunkName, Block chunk, List<ParseError> errors, List<HotComment> hotComments) {

  /** Whether the source parsed without any syntax error. */
  public boolean ok() {
    return errors.isEmpty();
  }
}
