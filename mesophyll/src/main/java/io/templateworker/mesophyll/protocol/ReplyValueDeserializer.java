package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Reads {@link Message.DispatchResponse#value()} with the installed {@link ValueReader}. */
final class ReplyValueDeserializer extends JsonDeserializer<JsonNode> {
  @Override
  public JsonNode deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return MessageCodec.replyValues().read(parser);
  }
}
