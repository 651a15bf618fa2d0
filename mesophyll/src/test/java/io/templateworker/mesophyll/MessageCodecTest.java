package io.templateworker.mesophyll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.templateworker.mesophyll.protocol.MalformedFrameException;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.mesophyll.protocol.WireEvent;
import io.templateworker.mesophyll.protocol.WireTenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.jackson.dataformat.MessagePackFactory;

class MessageCodecTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void every_message_kind_survives_a_round_trip() throws Exception {
    var data = JSON.objectNode().set("KhronosValue", JSON.objectNode().put("Text", "héllo"));
    WireTenant tenant = WireTenant.guild(-1L); // max u64 snowflake must stay unsigned
    List<Message> messages = List.of(
        new Message.Hello(1, 5000),
        new Message.DispatchEvent(tenant, new WireEvent("MESSAGE_CREATE", "123", data), 7L),
        new Message.DispatchEvent(tenant, new WireEvent("OnStartup", null, data), null),
        new Message.RunScript(tenant, "staff.luau", "return 1", new WireEvent("Run", null, data), 9),
        new Message.DropWorker(WireTenant.user(42), 10),
        Message.DispatchResponse.ok(11, JSON.objectNode().set("List", JSON.arrayNode())),
        Message.DispatchResponse.err(12, "boom"),
        new Message.Heartbeat(),
        new Message.Started(15),
        new Message.WorkerStats(Map.of("live_vms", 2L)),
        new Message.TenantLog(tenant, "print", "t", null, "hi", null, 1L),
        new Message.TenantDispatched(tenant, new WireEvent("MESSAGE", "123", data),
            JSON.objectNode().set("List", JSON.arrayNode())),
        new Message.GatewayReport(JSON.objectNode().set("shards", JSON.arrayNode().add(JSON.objectNode()
            .put("id", 0).put("status", "ready").put("session_id", "abc").put("resume_url", "wss://x").put("seq", 42)))),
        new Message.DbRequest(13, "kv", tenant, JSON.objectNode().put("op", "Get")),
        Message.DbResponse.err(14, "db down"));
    for (Message m : messages) {
      assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
    }
    assertThat(tenant.snowflake()).isEqualTo(-1L);
    assertThat(tenant.id()).isEqualTo("18446744073709551615");
  }

  @Test
  void variant_is_a_single_key_map_named_after_the_kind() throws Exception {
    ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
    Map<String, Object> decoded = msgpack.readValue(MessageCodec.encode(new Message.Hello(1, 250)), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    assertThat(decoded).containsOnlyKeys("Hello");
  }

  @Test
  void garbage_and_wrong_shapes_are_malformed_frames() throws Exception {
    ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
    byte[][] bad = {
        {},
        {(byte) 0xc1}, // never-used msgpack byte
        msgpack.writeValueAsBytes(Map.of("NoSuchKind", Map.of())),
        msgpack.writeValueAsBytes(Map.of("Hello", Map.of("version", "one"))),
        msgpack.writeValueAsBytes(Map.of("DropWorker", Map.of("tenant", Map.of("type", "guild", "id", "1"), "reqId", 1))),
        msgpack.writeValueAsBytes(List.of(1, 2, 3)),
        // the per-event messages have a reader of their own: as strict
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("tenant", Map.of("type", "Guild", "id", "1"),
            "event", Map.of("name", "E", "data", "Null"), "reqId", 1, "extra", 2))),
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("tenant", Map.of("type", "Guild", "id", "1"),
            "event", Map.of("name", "E", "data", "Null"), "reqId", "one"))),
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("event", Map.of("name", "E", "data", "Null")))),
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("tenant", Map.of("type", "Moon", "id", "1"),
            "event", Map.of("name", "E", "data", "Null")))),
        msgpack.writeValueAsBytes(Map.of("DispatchResponse", Map.of("reqId", 1, "ok", "yes"))),
        msgpack.writeValueAsBytes(Map.of("DispatchResponse", Map.of("reqId", 1, "ok", true, "error", 5))),
        msgpack.writeValueAsBytes(Map.of("DispatchResponse", Map.of("reqId", new java.math.BigInteger("18446744073709551615"), "ok", true))),
        msgpack.writeValueAsBytes(Map.of("DispatchResponse", Map.of("reqId", 1, "ok", true, "value", 1, "extra", 2))),
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("tenant", Map.of("type", "Guild", "id", "1", "x", 1),
            "event", Map.of("name", "E", "data", "Null")))),
        msgpack.writeValueAsBytes(Map.of("DispatchEvent", Map.of("tenant", Map.of("type", "Guild", "id", "1"),
            "event", Map.of("name", "E", "data", "Null", "scopes", List.of(1))))),
        msgpack.writeValueAsBytes(Map.of("Started", Map.of())),
        msgpack.writeValueAsBytes(Map.of("Started", Map.of("reqId", "one"))),
        msgpack.writeValueAsBytes(Map.of("Started", Map.of("reqId", 1, "extra", 2))),
        truncated(MessageCodec.encode(new Message.Started(1L << 40))),
        truncated(MessageCodec.encode(new Message.DispatchEvent(WireTenant.guild(1), new WireEvent("E", null,
            JSON.objectNode().put("KhronosValue", "Null")), 1L))),
        truncated(MessageCodec.encode(Message.DispatchResponse.ok(1, JSON.arrayNode().add(1).add("two")))),
    };
    for (byte[] frame : bad) {
      assertThatThrownBy(() -> MessageCodec.decode(frame))
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageStartingWith("malformed Mesophyll frame: ");
    }
  }

  /** The message without its last bytes, so that it ends inside a value. */
  private static byte[] truncated(byte[] message) {
    return java.util.Arrays.copyOf(message, message.length - 3);
  }

  @Test
  void the_per_event_messages_are_written_byte_for_byte_as_the_data_binding_writes_them() throws Exception {
    var binding = new ObjectMapper(new MessagePackFactory()).writerFor(Message.class);
    var data = JSON.objectNode().set("KhronosValue", JSON.objectNode().put("Text", "héllo"));
    WireTenant tenant = WireTenant.guild(-1L);
    List<Message> perEvent = List.of(
        new Message.DispatchEvent(tenant, new WireEvent("MESSAGE_CREATE", "123", data, List.of("a", "b")), 7L),
        new Message.DispatchEvent(WireTenant.user(5), new WireEvent("OnStartup", null, data), null),
        Message.DispatchResponse.ok(11, JSON.objectNode().set("List", JSON.arrayNode().add(1.5).add("x"))),
        Message.DispatchResponse.ok(Long.MAX_VALUE, null),
        Message.DispatchResponse.err(12, "boom"),
        new Message.Started(15),
        new Message.Started(1L << 40));
    List<Message> wider = new java.util.ArrayList<>(perEvent);
    // every width of integer, string and array header the encoder chooses between
    for (long reqId : new long[] {0, 127, 128, 255, 256, 65_535, 65_536, 4_294_967_295L, 4_294_967_296L, -1, -32, -33,
        -128, -129, -32_768, -32_769, -2_147_483_648L, -2_147_483_649L, Long.MIN_VALUE}) {
      wider.add(new Message.DispatchEvent(tenant, new WireEvent("E", null, data), reqId));
      wider.add(Message.DispatchResponse.ok(reqId, JSON.textNode("r" + reqId)));
      wider.add(new Message.Started(reqId));
    }
    List<String> manyScopes = java.util.stream.IntStream.range(0, 70_000).mapToObj(i -> "s" + i).toList();
    for (String text : new String[] {"x".repeat(31), "x".repeat(32), "é".repeat(16), "x".repeat(255), "x".repeat(256),
        "ü".repeat(40_000), "y".repeat(65_536)}) {
      wider.add(new Message.DispatchEvent(tenant, new WireEvent(text, text, data, List.of(text)), 1L));
      wider.add(Message.DispatchResponse.err(3, text));
    }
    wider.add(new Message.DispatchEvent(tenant, new WireEvent("E", null, data, manyScopes.subList(0, 16)), 1L));
    wider.add(new Message.DispatchEvent(tenant, new WireEvent("E", null, data, manyScopes), 1L));
    perEvent = wider;

    for (Message m : perEvent) {
      assertThat(MessageCodec.encode(m)).as(m.toString()).isEqualTo(binding.writeValueAsBytes(m));
      java.nio.ByteBuffer buffered = MessageCodec.encodeToBuffer(m);
      byte[] bufferedBytes = new byte[buffered.remaining()];
      buffered.get(bufferedBytes);
      assertThat(bufferedBytes).as("without a copy: " + m).isEqualTo(binding.writeValueAsBytes(m));
      assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
    }
  }

  @Test
  void a_frame_may_carry_several_messages_and_a_bad_tail_delivers_none() throws Exception {
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    joined.writeBytes(MessageCodec.encode(Message.DispatchResponse.ok(1, JSON.textNode("a"))));
    joined.writeBytes(MessageCodec.encode(Message.DispatchResponse.ok(2, JSON.textNode("b"))));
    joined.writeBytes(MessageCodec.encode(new Message.Heartbeat()));
    java.nio.ByteBuffer frame = java.nio.ByteBuffer.wrap(joined.toByteArray());
    List<Message> got = new java.util.ArrayList<>();

    MessageCodec.decodeAll(frame.duplicate(), got::add);

    assertThat(got).containsExactly(Message.DispatchResponse.ok(1, JSON.textNode("a")),
        Message.DispatchResponse.ok(2, JSON.textNode("b")), new Message.Heartbeat());
    for (int count = 1; count <= 5; count++) { // each in order, however many the frame holds
      java.io.ByteArrayOutputStream some = new java.io.ByteArrayOutputStream();
      List<Message> sent = new java.util.ArrayList<>();
      for (int i = 0; i < count; i++) {
        sent.add(new Message.Started(i));
        some.writeBytes(MessageCodec.encode(sent.get(i)));
      }
      List<Message> read = new java.util.ArrayList<>();
      MessageCodec.decodeAll(java.nio.ByteBuffer.wrap(some.toByteArray()), read::add);
      assertThat(read).as(count + " messages").isEqualTo(sent);
    }

    byte[] good = new byte[frame.remaining()];
    frame.duplicate().get(good);
    byte[] withGarbage = java.util.Arrays.copyOf(good, good.length + 1);
    withGarbage[good.length] = (byte) 0xc1;
    List<Message> none = new java.util.ArrayList<>();
    assertThatThrownBy(() -> MessageCodec.decodeAll(java.nio.ByteBuffer.wrap(withGarbage), none::add))
        .isInstanceOf(MalformedFrameException.class);
    assertThat(none).isEmpty();
  }

  private static java.nio.ByteBuffer direct(Message... messages) {
    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
    for (Message m : messages) {
      joined.writeBytes(MessageCodec.encode(m));
    }
    byte[] bytes = joined.toByteArray();
    return java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
  }

  @Test
  void messages_of_a_direct_frame_keep_their_values_after_the_next_frame_is_read() throws Exception {
    Message first = Message.DispatchResponse.ok(1, JSON.textNode("first frame's reply, long enough to be overwritten"));
    Message second = Message.DispatchResponse.err(2, "second");
    Message event = new Message.DispatchEvent(WireTenant.guild(5), new WireEvent("MESSAGE", "7",
        JSON.objectNode().put("KhronosValue", "Null"), List.of("scope one")), 3L);
    List<Message> got = new java.util.ArrayList<>();
    java.nio.ByteBuffer frame = direct(first, event);

    MessageCodec.decodeAll(frame, got::add);
    MessageCodec.decodeAll(direct(second), got::add);
    MessageCodec.decodeAll(direct(new Message.Heartbeat(), Message.DispatchResponse.ok(9, JSON.textNode("x".repeat(100_000)))),
        got::add); // larger than the kept copy

    assertThat(got).containsExactly(first, event, second, new Message.Heartbeat(),
        Message.DispatchResponse.ok(9, JSON.textNode("x".repeat(100_000))));
    assertThat(frame.position()).isZero(); // the caller's buffer is not consumed
  }
}
