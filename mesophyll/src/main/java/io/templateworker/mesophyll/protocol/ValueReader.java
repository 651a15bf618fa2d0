package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * Reads the value of a {@link Message.DispatchResponse} off the wire ({@link MessageCodec#readReplyValuesWith}). The
 * default builds a JSON tree; the process pool's master installs one that builds its template value straight from
 * the parser: per reply, building the tree and then walking it again cost more than the rest of decoding the frame.
 */
@FunctionalInterface
public interface ValueReader {
  /** Reads one value: the parser is at its first token and is left at its last. */
  JsonNode read(JsonParser parser) throws IOException;
}
