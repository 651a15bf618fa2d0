package io.templateworker.worker.process;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.MessagePackWritable;
import io.templateworker.mesophyll.protocol.MsgPackReader;
import io.templateworker.mesophyll.protocol.MsgPackWriter;
import io.templateworker.mesophyll.protocol.ValueReader;
import io.templateworker.mesophyll.protocol.WireEvent;
import io.templateworker.mesophyll.protocol.WireTenant;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.RawJson;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

/** Conversions between runtime values and their Mesophyll wire forms. */
public final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String KHRONOS = "KhronosValue";
  private static final String RAW = "RawValue";

  private Wire() {}

  public static WireTenant tenant(TenantId tenant) {
    return tenant.type() == TenantId.Type.GUILD ? WireTenant.guild(tenant.id()) : WireTenant.user(tenant.id());
  }

  public static TenantId tenant(WireTenant tenant) {
    return new TenantId("Guild".equals(tenant.type()) ? TenantId.Type.GUILD : TenantId.Type.USER, tenant.snowflake());
  }

  public static WireEvent event(CreateEvent event) {
    // A one-entry map that is never changed: an ObjectNode's own LinkedHashMap cost ~200 bytes per event.
    ObjectNode data = event.json() != null
        ? new ObjectNode(NODES, Map.of(RAW, NODES.textNode(event.json().toString()))) // upstream's RawValue: the JSON as received
        : new ObjectNode(NODES, Map.of(KHRONOS, encodable(event.data())));
    return new WireEvent(event.name(), event.author(), data, event.scopes());
  }

  public static CreateEvent event(WireEvent event) {
    JsonNode data = event.data();
    KhronosValue value;
    if (data.has(KHRONOS)) {
      value = value(data.get(KHRONOS));
    } else if (data.has("Json")) {
      value = fromPlainJson(data.get("Json"));
    } else if (data.has(RAW) && data.get(RAW).isTextual()) {
      return new CreateEvent(event.name(), event.author(), null, event.scopes(), RawJson.of(data.get(RAW).textValue()));
    } else {
      throw new KhronosException("event data must be {\"KhronosValue\": …}, {\"Json\": …} or {\"RawValue\": \"…\"}, got " + data);
    }
    return new CreateEvent(event.name(), event.author(), value, event.scopes());
  }

  /**
   * A value in its tagged wire form for a message about to be encoded: it writes itself straight to the encoder
   * ({@link KhronosJson#write}), where {@link #value(KhronosValue)} first builds a JSON tree that the encoder then
   * walks (per event, on both sides of Mesophyll, building that tree cost more than encoding it). Read back with
   * {@link #value(JsonNode)} like a tree.
   */
  public static JsonNode encodable(KhronosValue value) {
    return new POJONode(new Tagged(value));
  }

  /**
   * The bytes of the reply {@code DispatchResponse.ok(reqId, encodable(value))}, written without the message and the
   * tree around the value (a child replies once per event); null for values {@link TaggedMessagePack} leaves out: those
   * take the message.
   */
  static ByteBuffer encodeReply(long reqId, KhronosValue value) {
    return MessageCodec.encodeDispatchResponseOk(reqId, new Tagged(value));
  }

  private record Tagged(KhronosValue value) implements JsonSerializable, MessagePackWritable {
    @Override
    public boolean writeMessagePack(MsgPackWriter out) {
      return TaggedMessagePack.write(out, value);
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
      KhronosJson.write(g, value);
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer type) throws IOException {
      serialize(g, provider);
    }
  }

  /**
   * Reads a reply's value straight into a template value ({@link MessageCodec#readReplyValuesWith}), without a JSON
   * tree in between; {@link #value(JsonNode)} unwraps it.
   */
  static JsonNode readTagged(JsonParser parser) throws IOException {
    return encodable(KhronosJson.read(parser));
  }

  /**
   * The reply value reader the process pool's master installs ({@link MessageCodec#readReplyValuesWith}): common
   * values straight from their MessagePack ({@link TaggedMessagePack}), the rest through {@link #readTagged}.
   */
  static final ValueReader TAGGED_VALUES = new ValueReader() {
    @Override
    public JsonNode read(JsonParser parser) throws IOException {
      return readTagged(parser);
    }

    @Override
    public JsonNode readMessagePack(MsgPackReader in) {
      KhronosValue value = TaggedMessagePack.read(in);
      return value == null ? null : encodable(value);
    }
  };

  /** An event's data on the wire as it starts when it holds a template value: {@code {"KhronosValue": …}}. */
  private static final byte[] KHRONOS_DATA;

  static {
    byte[] key = MsgPackReader.key(KHRONOS);
    KHRONOS_DATA = new byte[key.length + 1];
    KHRONOS_DATA[0] = (byte) 0x81; // a map of one entry
    System.arraycopy(key, 0, KHRONOS_DATA, 1, key.length);
  }

  /**
   * A DispatchEvent written straight from the tenant and the event, byte for byte the message of {@link
   * #event(CreateEvent)} ({@code data} writes the event's data: {@link #writeEventData}): the message, its tenant (the
   * id as a String), its event and the data's tree around the value cost a third of what the master allocated per
   * event. Null for raw JSON events, and for values {@link TaggedMessagePack} leaves out: those take the message.
   */
  static ByteBuffer encodeDispatch(TenantId tenant, CreateEvent event, long reqId, MessagePackWritable data) {
    if (event.json() != null) {
      return null;
    }
    return MessageCodec.encodeDispatchEvent(tenant.type() == TenantId.Type.GUILD ? "Guild" : "User", tenant.id(),
        event.name(), event.author(), data, event.scopes(), reqId);
  }

  /** The event's data as {@link #event(CreateEvent)} puts it, {@code {"KhronosValue": value}}; false if it cannot. */
  static boolean writeEventData(MsgPackWriter out, CreateEvent event) {
    out.write(KHRONOS_DATA);
    return TaggedMessagePack.write(out, event.data());
  }

  /**
   * The event data reader a process-pool child installs ({@link MessageCodec#readEventDataWith}): a template value
   * straight from its MessagePack into the data {@link #event(WireEvent)} unwraps, without a JSON tree that is then
   * walked again; other data (raw JSON, kinds {@link TaggedMessagePack} leaves out) as a tree.
   */
  static final ValueReader EVENT_DATA = new ValueReader() {
    @Override
    public JsonNode read(JsonParser parser) throws IOException {
      return parser.readValueAsTree();
    }

    @Override
    public JsonNode readMessagePack(MsgPackReader in) {
      if (!in.nextKeyIs(KHRONOS_DATA)) {
        return null;
      }
      KhronosValue value = TaggedMessagePack.read(in);
      return value == null ? null : new ObjectNode(NODES, Map.of(KHRONOS, encodable(value))); // as in event(CreateEvent)
    }
  };

  /** The tagged JSON tree of a value. */
  public static JsonNode value(KhronosValue value) {
    try (TokenBuffer buffer = new TokenBuffer(JSON, false)) {
      KhronosJson.write(buffer, value);
      return JSON.readTree(buffer.asParser());
    } catch (IOException e) {
      throw new KhronosException("cannot convert value to its wire form: " + e.getMessage(), e);
    }
  }

  public static KhronosValue value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return KhronosValue.Null.INSTANCE;
    }
    if (node instanceof POJONode pojo && pojo.getPojo() instanceof Tagged tagged) {
      return tagged.value(); // never encoded (e.g. handed over in-process)
    }
    try (JsonParser p = JSON.treeAsTokens(node)) {
      p.nextToken();
      return KhronosJson.read(p);
    } catch (IOException e) {
      throw new KhronosException("invalid KhronosValue on the wire: " + e.getMessage(), e);
    }
  }

  /** Plain JSON (the {@code Json} event variant) as a KhronosValue: objects become Text-keyed maps. */
  public static KhronosValue fromPlainJson(JsonNode node) {
    if (node == null || node.isNull()) {
      return KhronosValue.Null.INSTANCE;
    }
    if (node.isTextual()) {
      return new KhronosValue.Text(node.textValue());
    }
    if (node.isBoolean()) {
      return KhronosValue.Bool.of(node.booleanValue());
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return new KhronosValue.Int(node.longValue());
    }
    if (node.isNumber()) {
      return new KhronosValue.Float(node.doubleValue());
    }
    if (node.isArray()) {
      java.util.List<KhronosValue> items = new java.util.ArrayList<>(node.size());
      for (JsonNode item : node) {
        items.add(fromPlainJson(item));
      }
      return new KhronosValue.ListValue(items);
    }
    java.util.List<KhronosValue.Entry> entries = new java.util.ArrayList<>(node.size());
    for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
      entries.add(new KhronosValue.Entry(new KhronosValue.Text(e.getKey()), fromPlainJson(e.getValue())));
    }
    return new KhronosValue.MapValue(entries);
  }
}
