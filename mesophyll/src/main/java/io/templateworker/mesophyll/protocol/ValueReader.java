package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads the value of a {@link Message.DispatchResponse} off the wire ({@link MessageCodec#readReplyValuesWith}). The
 * default builds a JSON tree; the process pool's master installs one that builds its template value straight from
 * the parser: per reply, building the tree and then walking it again cost more than the rest of decoding the frame.
 */
public interface ValueReader {
  /** Reads one value: the parser is at its first token and is left at its last. */
  JsonNode read(JsonParser parser) throws IOException;

  /**
   * Reads the value straight from its MessagePack ({@code in} holds exactly the value), or returns null to have it
   * read by {@link #read(JsonParser)} instead (e.g. a kind of value it does not read itself, or one it finds
   * malformed: the parser then reports it). The default always declines.
   */
  default JsonNode readMessagePack(MsgPackReader in) {
    return null;
  }
}
