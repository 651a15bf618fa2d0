package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;

/**
 * Writes the messages that cross Mesophyll once per event ({@link Message.DispatchEvent}, {@link Message.Started},
 * {@link Message.DispatchResponse}) and reads the two that carry an event and its reply, field by field with
 * {@link MsgPackWriter} and {@link MsgPackReader}: the same bytes as the data binding writes (a test compares them),
 * without its per-message type resolution and bean introspection, and without a Jackson parser or generator for the
 * message around the values (each costs about half a kilobyte, and names cost a String per field): only an event's
 * data and a reply's value, whose shapes are open, go through Jackson. Reading is as strict: an unknown field or a
 * value of the wrong type makes the frame malformed.
 */
final class PerEventCodec {
  private static final byte[] EVENT_KIND = kindPrefix("DispatchEvent");
  private static final byte[] RESPONSE_KIND = kindPrefix("DispatchResponse");
  private static final byte[] STARTED_KIND = kindPrefix("Started");
  private static final byte[] TENANT = MsgPackReader.key("tenant");
  private static final byte[] TYPE = MsgPackReader.key("type");
  private static final byte[] ID = MsgPackReader.key("id");
  private static final byte[] EVENT = MsgPackReader.key("event");
  private static final byte[] NAME = MsgPackReader.key("name");
  private static final byte[] AUTHOR = MsgPackReader.key("author");
  private static final byte[] DATA = MsgPackReader.key("data");
  private static final byte[] SCOPES = MsgPackReader.key("scopes");
  private static final byte[] REQ_ID = MsgPackReader.key("reqId");
  private static final byte[] OK = MsgPackReader.key("ok");
  private static final byte[] VALUE = MsgPackReader.key("value");
  private static final byte[] ERROR = MsgPackReader.key("error");

  private PerEventCodec() {}

  /** A one-entry map whose key is {@code kind}, as the message starts on the wire (a fixmap, then a fixstr). */
  private static byte[] kindPrefix(String kind) {
    byte[] key = MsgPackReader.key(kind);
    byte[] prefix = new byte[key.length + 1];
    prefix[0] = (byte) 0x81;
    System.arraycopy(key, 0, prefix, 1, key.length);
    return prefix;
  }

  private static boolean startsWith(byte[] frame, int offset, int length, byte[] prefix) {
    return length > prefix.length && java.util.Arrays.equals(frame, offset, offset + prefix.length, prefix, 0, prefix.length);
  }

  /**
   * The message if it is a DispatchEvent, a DispatchResponse or a Started; null for any other kind (the data binding
   * reads it). {@code in} reads exactly the message's range of {@code frame} and is left anywhere in it.
   */
  static Message decode(MsgPackReader in, byte[] frame) throws IOException {
    int offset = in.position();
    int length = in.remaining();
    boolean event = startsWith(frame, offset, length, EVENT_KIND);
    if (!event && !startsWith(frame, offset, length, RESPONSE_KIND)) {
      // A Started comes with most events the master sends at moderate rates: through the data binding it cost a
      // parser, a deserialisation context and their buffers each (a fifth of the master's allocation per event).
      if (!startsWith(frame, offset, length, STARTED_KIND)) {
        return null;
      }
      in.range(offset + STARTED_KIND.length, offset + length);
      return readStarted(in);
    }
    int prefix = event ? EVENT_KIND.length : RESPONSE_KIND.length;
    in.range(offset + prefix, offset + length);
    return event ? readEvent(in, frame) : readResponse(in, frame);
  }

  private static Message.DispatchEvent readEvent(MsgPackReader in, byte[] frame) throws IOException {
    WireTenant tenant = null;
    WireEvent event = null;
    Long reqId = null;
    for (int fields = in.readMapHeader("DispatchEvent"); fields > 0; fields--) {
      if (in.nextKeyIs(TENANT)) {
        tenant = readTenant(in);
      } else if (in.nextKeyIs(EVENT)) {
        event = readWireEvent(in, frame);
      } else if (in.nextKeyIs(REQ_ID)) {
        reqId = in.nextIsNil() ? null : in.readLong("\"reqId\"");
      } else {
        throw unknownField(in, "DispatchEvent");
      }
    }
    if (tenant == null || event == null) {
      throw new IOException("DispatchEvent needs a tenant and an event");
    }
    return new Message.DispatchEvent(tenant, event, reqId);
  }

  private static Message.Started readStarted(MsgPackReader in) throws IOException {
    boolean seen = false;
    long reqId = 0;
    for (int fields = in.readMapHeader("Started"); fields > 0; fields--) {
      if (in.nextKeyIs(REQ_ID)) {
        reqId = in.readLong("\"reqId\"");
        seen = true;
      } else {
        throw unknownField(in, "Started");
      }
    }
    if (!seen) {
      throw new IOException("Started needs a reqId");
    }
    return new Message.Started(reqId);
  }

  private static Message.DispatchResponse readResponse(MsgPackReader in, byte[] frame) throws IOException {
    long reqId = 0;
    boolean ok = false;
    JsonNode value = null;
    String error = null;
    for (int fields = in.readMapHeader("DispatchResponse"); fields > 0; fields--) {
      if (in.nextKeyIs(REQ_ID)) {
        reqId = in.readLong("\"reqId\"");
      } else if (in.nextKeyIs(OK)) {
        ok = in.readBoolean("\"ok\"");
      } else if (in.nextKeyIs(VALUE)) {
        if (!in.nextIsNil()) {
          value = readValue(in, frame, MessageCodec.replyValues());
        }
      } else if (in.nextKeyIs(ERROR)) {
        error = in.readStringOrNil("\"error\"");
      } else {
        throw unknownField(in, "DispatchResponse");
      }
    }
    return new Message.DispatchResponse(reqId, ok, value, error);
  }

  private static WireTenant readTenant(MsgPackReader in) throws IOException {
    String type = null;
    String id = null;
    for (int fields = in.readMapHeader("a tenant"); fields > 0; fields--) {
      if (in.nextKeyIs(TYPE)) {
        type = in.readStringOrNil("\"type\"");
      } else if (in.nextKeyIs(ID)) {
        id = in.readUncachedStringOrNil("\"id\"");
      } else {
        throw unknownField(in, "a tenant");
      }
    }
    return new WireTenant(type, id);
  }

  private static WireEvent readWireEvent(MsgPackReader in, byte[] frame) throws IOException {
    String name = null;
    String author = null;
    JsonNode data = null;
    List<String> scopes = null;
    for (int fields = in.readMapHeader("an event"); fields > 0; fields--) {
      if (in.nextKeyIs(NAME)) {
        name = in.readStringOrNil("\"name\"");
      } else if (in.nextKeyIs(AUTHOR)) {
        author = in.readStringOrNil("\"author\"");
      } else if (in.nextKeyIs(DATA)) {
        data = readValue(in, frame, MessageCodec.eventData());
      } else if (in.nextKeyIs(SCOPES)) {
        scopes = null;
        if (!in.nextIsNil()) {
          int count = in.readArrayHeader("scopes");
          if (count == 0) {
            scopes = List.of(); // as WireEvent keeps it (List.copyOf), without an empty list and array to copy first
          } else {
            scopes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
              scopes.add(in.readStringOrNil("scopes"));
            }
          }
        }
      } else {
        throw unknownField(in, "an event");
      }
    }
    return new WireEvent(name, author, data, scopes);
  }

  /** The next value, read by {@code reader} from its MessagePack if it can, else through a Jackson parser. */
  private static JsonNode readValue(MsgPackReader in, byte[] frame, ValueReader reader) throws IOException {
    int start = in.position();
    in.skipValue();
    int length = in.position() - start;
    int after = in.position();
    int end = in.range(start, after); // the value reader sees the value alone
    JsonNode value = reader.readMessagePack(in);
    in.range(after, end);
    if (value != null) {
      return value;
    }
    try (JsonParser p = MessageCodec.MAPPER.getFactory().createParser(frame, start, length)) {
      p.nextToken();
      return reader.read(p);
    }
  }

  private static IOException unknownField(MsgPackReader in, String where) throws IOException {
    return new IOException("unknown field \"" + in.readStringOrNil("a field name") + "\" in " + where);
  }

  /**
   * The sizes the next DispatchEvent's and DispatchResponse's arrays start at: about the previous one's of the kind (a
   * sender's events, and its replies, mostly have one shape: a DispatchEvent without data ~70 bytes, a reply of one
   * template's result ~120), so an array seldom grows (a copy) and carries few unused bytes to the collector (fixed
   * sizes of 128 and 192 bytes did one or the other). Shared by the threads that send; a lost update costs at most a
   * growth.
   */
  private static int eventCapacity = 128;
  private static int replyCapacity = 128;

  /**
   * The next starting size after a message of {@code written} bytes: 16 more, for a longer id or text; at most 512, so
   * a small message after a large one (e.g. an event with Discord's JSON) does not start as large.
   */
  private static int nextCapacity(int written) {
    return Math.clamp(written + 16, 32, 512);
  }

  /** A DispatchEvent's bytes up to its tenant id's value, which the caller writes (as a string or from a long). */
  private static MsgPackWriter startDispatchEvent(String tenantType) {
    MsgPackWriter out = new MsgPackWriter(eventCapacity);
    out.write(EVENT_KIND);
    out.writeMapHeader(3);
    out.write(TENANT);
    out.writeMapHeader(2);
    out.write(TYPE);
    out.writeStringOrNil(tenantType);
    out.write(ID);
    return out;
  }

  static byte[] encode(Message.DispatchEvent e) throws IOException {
    return write(e).toByteArray();
  }

  static MsgPackWriter write(Message.DispatchEvent e) throws IOException {
    MsgPackWriter out = startDispatchEvent(e.tenant().type());
    out.writeStringOrNil(e.tenant().id());
    out.write(EVENT);
    writeEventUpToData(out, e.event().name(), e.event().author());
    writeTree(out, e.event().data());
    writeScopesAndReqId(out, e.event().scopes(), e.reqId());
    return out;
  }

  /**
   * The DispatchEvent {@code (new WireTenant(tenantType, Long.toUnsignedString(tenantId)), new WireEvent(name, author,
   * data, scopes), reqId)} written from its parts, with {@code data} writing the event's data itself; null if it cannot
   * ({@link MessagePackWritable}). The tenant and event are validated as their records do.
   */
  static MsgPackWriter write(String tenantType, long tenantId, String name, String author, MessagePackWritable data,
      List<String> scopes, long reqId) {
    if (!"Guild".equals(tenantType) && !"User".equals(tenantType)) {
      throw new IllegalArgumentException("tenant type must be Guild or User, got: " + tenantType);
    }
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name is missing");
    }
    MsgPackWriter out = startDispatchEvent(tenantType);
    out.writeUnsignedDecimal(tenantId);
    out.write(EVENT);
    writeEventUpToData(out, name, author);
    if (!data.writeMessagePack(out)) {
      return null;
    }
    writeScopesAndReqId(out, scopes == null ? List.of() : scopes, reqId);
    return out;
  }

  /** An event's map header and fields up to its data's key; the data's value comes next. */
  private static void writeEventUpToData(MsgPackWriter out, String name, String author) {
    out.writeMapHeader(4);
    out.write(NAME);
    out.writeStringOrNil(name);
    out.write(AUTHOR);
    out.writeStringOrNil(author);
    out.write(DATA);
  }

  /** The event's last field, then the DispatchEvent's (its end). */
  private static void writeScopesAndReqId(MsgPackWriter out, List<String> scopes, Long reqId) {
    out.write(SCOPES);
    out.writeArrayHeader(scopes.size());
    for (int i = 0; i < scopes.size(); i++) {
      out.writeStringOrNil(scopes.get(i));
    }
    out.write(REQ_ID);
    if (reqId == null) {
      out.writeNil();
    } else {
      out.writeLong(reqId);
    }
    eventCapacity = nextCapacity(out.size()); // the DispatchEvent is complete
  }

  static byte[] encode(Message.DispatchResponse r) throws IOException {
    return write(r).toByteArray();
  }

  static MsgPackWriter write(Message.DispatchResponse r) throws IOException {
    MsgPackWriter out = startResponse(r.reqId(), r.ok());
    writeTree(out, r.value());
    return endResponse(out, r.error());
  }

  /**
   * {@code DispatchResponse.ok(reqId, value)} written without the message, for a value that writes itself; null if it
   * cannot ({@link MessagePackWritable}). The same bytes as {@link #write(Message.DispatchResponse)} of a tree holding
   * that value.
   */
  static MsgPackWriter writeOk(long reqId, MessagePackWritable value) {
    MsgPackWriter out = startResponse(reqId, true);
    return value.writeMessagePack(out) ? endResponse(out, null) : null;
  }

  /** A DispatchResponse's bytes up to its value's, which the caller writes. */
  private static MsgPackWriter startResponse(long reqId, boolean ok) {
    MsgPackWriter out = new MsgPackWriter(replyCapacity);
    out.write(RESPONSE_KIND);
    out.writeMapHeader(4);
    out.write(REQ_ID);
    out.writeLong(reqId);
    out.write(OK);
    out.writeBoolean(ok);
    out.write(VALUE);
    return out;
  }

  /** The DispatchResponse's last field, after its value. */
  private static MsgPackWriter endResponse(MsgPackWriter out, String error) {
    out.write(ERROR);
    out.writeStringOrNil(error);
    replyCapacity = nextCapacity(out.size());
    return out;
  }

  static byte[] encode(Message.Started s) {
    return write(s).toByteArray();
  }

  static MsgPackWriter write(Message.Started s) {
    MsgPackWriter out = new MsgPackWriter(24);
    out.write(STARTED_KIND);
    out.writeMapHeader(1);
    out.write(REQ_ID);
    out.writeLong(s.reqId());
    return out;
  }

  /**
   * A value as the data binding writes it, by a generator over the message's stream; a value that writes itself
   * (e.g. a template value) does so directly, without a generator if it can ({@link MessagePackWritable}); so do
   * nil, strings and the maps around such values.
   */
  private static void writeTree(MsgPackWriter out, JsonNode node) throws IOException {
    if (node == null || node.isNull()) {
      out.writeNil();
      return;
    }
    if (node instanceof POJONode pojo && pojo.getPojo() instanceof MessagePackWritable writable) {
      int mark = out.size();
      if (writable.writeMessagePack(out)) {
        return;
      }
      out.truncate(mark);
    }
    if (node instanceof ObjectNode object) { // e.g. an event's {"KhronosValue": value}: a map, as Jackson writes it
      out.writeMapHeader(object.size());
      for (var field : object.properties()) {
        out.writeStringOrNil(field.getKey());
        writeTree(out, field.getValue());
      }
      return;
    }
    if (node.isTextual()) {
      out.writeStringOrNil(node.textValue());
      return;
    }
    try (JsonGenerator g = MessageCodec.MAPPER.getFactory().createGenerator(out)) {
      node.serialize(g, MessageCodec.MAPPER.getSerializerProviderInstance());
    }
  }
}
