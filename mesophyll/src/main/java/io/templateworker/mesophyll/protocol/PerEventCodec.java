package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes the messages that cross Mesophyll once per event ({@link Message.DispatchEvent}, {@link Message.Started},
 * {@link Message.DispatchResponse}) with the streaming generator, and reads the two that carry an event and its reply
 * with the streaming parser: the same bytes as the data binding writes (a test compares them), without its
 * per-message type resolution and bean introspection, which the profile showed as about half the cost of each.
 * Reading is as strict: an unknown field or a value of the wrong type makes the frame malformed.
 */
final class PerEventCodec {
  private static final byte[] EVENT_KIND = kindPrefix("DispatchEvent");
  private static final byte[] RESPONSE_KIND = kindPrefix("DispatchResponse");

  private PerEventCodec() {}

  /** A one-entry map whose key is {@code kind}, as the message starts on the wire (a fixmap, then a fixstr). */
  private static byte[] kindPrefix(String kind) {
    byte[] name = kind.getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[name.length + 2];
    prefix[0] = (byte) 0x81;
    prefix[1] = (byte) (0xa0 | name.length);
    System.arraycopy(name, 0, prefix, 2, name.length);
    return prefix;
  }

  private static boolean startsWith(byte[] frame, int offset, int length, byte[] prefix) {
    return length > prefix.length && java.util.Arrays.equals(frame, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  /** The message if it is a DispatchEvent or a DispatchResponse; null for any other kind (the data binding reads it). */
  static Message decode(byte[] frame, int offset, int length) throws IOException {
    boolean event = startsWith(frame, offset, length, EVENT_KIND);
    if (!event && !startsWith(frame, offset, length, RESPONSE_KIND)) {
      return null;
    }
    try (JsonParser p = MessageCodec.MAPPER.getFactory().createParser(frame, offset, length)) {
      p.nextToken(); // the wrapper map
      p.nextToken(); // its key, the kind
      expect(p.nextToken(), JsonToken.START_OBJECT, "the message's fields");
      Message message = event ? readEvent(p) : readResponse(p);
      expect(p.nextToken(), JsonToken.END_OBJECT, "the end of the message");
      return message; // what follows in the frame is the next message (MessageCodec.decodeAll splits them)
    }
  }

  private static Message.DispatchEvent readEvent(JsonParser p) throws IOException {
    WireTenant tenant = null;
    WireEvent event = null;
    Long reqId = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "tenant" -> tenant = readTenant(p);
        case "event" -> event = readWireEvent(p);
        case "reqId" -> reqId = t == JsonToken.VALUE_NULL ? null : readLong(p, field);
        default -> throw new IOException("unknown field \"" + field + "\" in DispatchEvent");
      }
    }
    if (tenant == null || event == null) {
      throw new IOException("DispatchEvent needs a tenant and an event");
    }
    return new Message.DispatchEvent(tenant, event, reqId);
  }

  private static Message.DispatchResponse readResponse(JsonParser p) throws IOException {
    long reqId = 0;
    boolean ok = false;
    JsonNode value = null;
    String error = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "reqId" -> reqId = readLong(p, field);
        case "ok" -> {
          if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
            throw new IOException("\"ok\" must be true or false, got " + t);
          }
          ok = t == JsonToken.VALUE_TRUE;
        }
        case "value" -> value = t == JsonToken.VALUE_NULL ? null : MessageCodec.replyValues().read(p);
        case "error" -> error = readText(p, field);
        default -> throw new IOException("unknown field \"" + field + "\" in DispatchResponse");
      }
    }
    return new Message.DispatchResponse(reqId, ok, value, error);
  }

  private static WireTenant readTenant(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, "a tenant");
    String type = null;
    String id = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "type" -> type = readText(p, field);
        case "id" -> id = readText(p, field);
        default -> throw new IOException("unknown field \"" + field + "\" in a tenant");
      }
    }
    return new WireTenant(type, id);
  }

  private static WireEvent readWireEvent(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT, "an event");
    String name = null;
    String author = null;
    JsonNode data = null;
    List<String> scopes = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "name" -> name = readText(p, field);
        case "author" -> author = readText(p, field);
        case "data" -> data = MessageCodec.MAPPER.readTree(p);
        case "scopes" -> {
          if (t != JsonToken.VALUE_NULL) {
            expect(t, JsonToken.START_ARRAY, "scopes");
            scopes = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              scopes.add(readText(p, field));
            }
          }
        }
        default -> throw new IOException("unknown field \"" + field + "\" in an event");
      }
    }
    return new WireEvent(name, author, data, scopes);
  }

  private static long readLong(JsonParser p, String field) throws IOException {
    expect(p.currentToken(), JsonToken.VALUE_NUMBER_INT, "\"" + field + "\"");
    return p.getLongValue();
  }

  /** A string or nil. */
  private static String readText(JsonParser p, String field) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(t, JsonToken.VALUE_STRING, "\"" + field + "\"");
    return p.getText();
  }

  private static void expect(JsonToken got, JsonToken wanted, String what) throws IOException {
    if (got != wanted) {
      throw new IOException("expected " + wanted + " for " + what + ", got " + got);
    }
  }

  static byte[] encode(Message.DispatchEvent e) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = start(out, "DispatchEvent")) {
      g.writeFieldName("tenant");
      g.writeStartObject();
      g.writeStringField("type", e.tenant().type());
      g.writeStringField("id", e.tenant().id());
      g.writeEndObject();
      g.writeFieldName("event");
      writeEvent(g, e.event());
      g.writeFieldName("reqId");
      if (e.reqId() == null) {
        g.writeNull();
      } else {
        g.writeNumber(e.reqId());
      }
      end(g);
    }
    return out.toByteArray();
  }

  static byte[] encode(Message.DispatchResponse r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator g = start(out, "DispatchResponse")) {
      g.writeNumberField("reqId", r.reqId());
      g.writeBooleanField("ok", r.ok());
      g.writeFieldName("value");
      writeTree(g, r.value());
      g.writeStringField("error", r.error());
      end(g);
    }
    return out.toByteArray();
  }

  static byte[] encode(Message.Started s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(24);
    try (JsonGenerator g = start(out, "Started")) {
      g.writeNumberField("reqId", s.reqId());
      end(g);
    }
    return out.toByteArray();
  }

  private static void writeEvent(JsonGenerator g, WireEvent event) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", event.name());
    g.writeStringField("author", event.author());
    g.writeFieldName("data");
    writeTree(g, event.data());
    g.writeFieldName("scopes");
    g.writeStartArray();
    for (String scope : event.scopes()) {
      g.writeString(scope);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A value as the data binding writes it; a value that writes itself (e.g. a template value) does so directly. */
  private static void writeTree(JsonGenerator g, JsonNode node) throws IOException {
    node.serialize(g, MessageCodec.MAPPER.getSerializerProviderInstance());
  }

  /** Opens the message's single-key wrapper map, {@code {kind: {fields}}}, as the data binding names the variant. */
  private static JsonGenerator start(ByteArrayOutputStream out, String kind) throws IOException {
    JsonGenerator g = MessageCodec.MAPPER.getFactory().createGenerator(out);
    g.writeStartObject();
    g.writeFieldName(kind);
    g.writeStartObject();
    return g;
  }

  private static void end(JsonGenerator g) throws IOException {
    g.writeEndObject();
    g.writeEndObject();
  }
}
