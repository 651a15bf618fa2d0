package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTest {
  private static final KhronosValue VALUE = KhronosValue.textMap(
      "text", new KhronosValue.Text("héllo"),
      "int", new KhronosValue.Int(-42),
      "uint", new KhronosValue.UInt(-1L),
      "float", new KhronosValue.Float(1.5),
      "bool", KhronosValue.Bool.TRUE,
      "bytes", new KhronosValue.Buffer(new byte[] {0, 1, (byte) 255}),
      "vector", new KhronosValue.Vector(1, 2, 3),
      "list", new KhronosValue.ListValue(List.of(new KhronosValue.Int(1), KhronosValue.Null.INSTANCE)),
      "at", new KhronosValue.Timestamptz(Instant.parse("2026-12-05T04:00:00.123Z")),
      "interval", new KhronosValue.Interval(90, 5),
      "zone", new KhronosValue.TimeZone("Europe/Paris"));

  @Test
  void a_value_encoded_without_a_tree_reads_back_as_the_same_value() throws Exception {
    byte[] direct = MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.encodable(VALUE)));
    byte[] viaTree = MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.value(VALUE)));

    Message decoded = MessageCodec.decode(direct);

    assertThat(direct).isEqualTo(viaTree);
    assertThat(Wire.value(((Message.DispatchResponse) decoded).value())).isEqualTo(VALUE);
  }

  @Test
  void values_that_write_their_own_message_pack_write_the_same_bytes_as_jackson() throws Exception {
    MessageCodec.readReplyValuesWith(Wire.TAGGED_VALUES); // as ProcessHandle installs it: reads them back without Jackson
    MessageCodec.readEventDataWith(Wire.EVENT_DATA); // as a child installs it
    KhronosValue deep = new KhronosValue.Int(1);
    for (int i = 0; i < KhronosValue.MAX_DEPTH; i++) {
      deep = new KhronosValue.ListValue(List.of(deep));
    }
    List<KhronosValue> values = List.of(
        KhronosValue.Null.INSTANCE,
        new KhronosValue.Int(1),
        new KhronosValue.Int(Long.MIN_VALUE),
        new KhronosValue.Int(200),
        new KhronosValue.Float(-0.1),
        new KhronosValue.Float(Double.NaN), // written as a string: left to Jackson
        KhronosValue.Bool.FALSE,
        new KhronosValue.Text("x".repeat(300) + "é"),
        new KhronosValue.ListValue(List.of(new KhronosValue.Int(1))),
        KhronosValue.textMap("a", new KhronosValue.ListValue(List.of(KhronosValue.Null.INSTANCE, new KhronosValue.Text(""))),
            "b", KhronosValue.textMap("c", KhronosValue.Bool.TRUE)),
        new KhronosValue.ListValue(List.of(new KhronosValue.Int(1), new KhronosValue.UInt(-1L))), // part left to Jackson
        KhronosValue.textMap("type", new KhronosValue.Text("ok"), "id", new KhronosValue.Text("a"), "value",
            new KhronosValue.Int(1)), // a result entry: three entries
        KhronosValue.textMap("a", KhronosValue.Null.INSTANCE, "b", KhronosValue.Null.INSTANCE, "c",
            new KhronosValue.UInt(-1L)), // three, the last left to Jackson
        KhronosValue.textMap("a", KhronosValue.Null.INSTANCE, "b", KhronosValue.Null.INSTANCE, "c",
            KhronosValue.Null.INSTANCE, "d", KhronosValue.Null.INSTANCE),
        deep, // one level short of the limit
        VALUE);
    int repliesWithoutMessage = 0;
    for (KhronosValue value : values) {
      byte[] direct = MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.encodable(value)));
      byte[] viaJackson = MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.value(value)));
      assertThat(direct).as(value.toString()).isEqualTo(viaJackson);
      java.nio.ByteBuffer reply = Wire.encodeReply(7, value); // a child's reply without the message, when it can
      if (reply != null) {
        assertThat(reply).as(value.toString()).isEqualTo(java.nio.ByteBuffer.wrap(viaJackson));
        repliesWithoutMessage++;
      }
      assertThat(Wire.value(((Message.DispatchResponse) MessageCodec.decode(direct)).value())).isEqualTo(value);

      CreateEvent event = CreateEvent.of("E", value);
      byte[] eventDirect = MessageCodec.encode(new Message.DispatchEvent(Wire.tenant(TenantId.guild(1)), Wire.event(event), 1L));
      var dataTree = Wire.NODES.objectNode().set("KhronosValue", Wire.value(value));
      byte[] eventViaJackson = MessageCodec.encode(new Message.DispatchEvent(Wire.tenant(TenantId.guild(1)),
          new io.templateworker.mesophyll.protocol.WireEvent("E", null, dataTree, event.scopes()), 1L));
      assertThat(eventDirect).as(value.toString()).isEqualTo(eventViaJackson);
      assertThat(Wire.event(((Message.DispatchEvent) MessageCodec.decode(eventDirect)).event()).data()).isEqualTo(value);
    }
    // All but NaN and the three values holding a UInt: kinds left to Jackson.
    assertThat(repliesWithoutMessage).as("all but the kinds left to Jackson").isEqualTo(values.size() - 4);
    assertThat(Wire.encodeReply(7, new KhronosValue.UInt(-1L))).isNull();
    KhronosValue tooDeep = new KhronosValue.ListValue(List.of(deep));
    assertThatThrownBy(() -> MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.encodable(tooDeep))))
        .hasMessageContaining("Recursion limit exceeded");
  }

  @Test
  void a_malformed_reply_value_is_a_malformed_frame_with_the_value_readers_reason() {
    MessageCodec.readReplyValuesWith(Wire.TAGGED_VALUES);
    var badInteger = Wire.NODES.objectNode().put("Integer", "one");
    var badEntry = Wire.NODES.objectNode().set("Map", Wire.NODES.arrayNode().add(Wire.NODES.arrayNode().add("Null").add("Null").add("Null")));

    assertThatThrownBy(() -> MessageCodec.decode(MessageCodec.encode(Message.DispatchResponse.ok(7, badInteger))))
        .isInstanceOf(io.templateworker.mesophyll.protocol.MalformedFrameException.class)
        .hasMessageContaining("Integer needs a whole number");
    assertThatThrownBy(() -> MessageCodec.decode(MessageCodec.encode(Message.DispatchResponse.ok(7, badEntry))))
        .isInstanceOf(io.templateworker.mesophyll.protocol.MalformedFrameException.class)
        .hasMessageContaining("[key, value]");
    var goodEntry = Wire.NODES.arrayNode().add("Null").add("Null");
    var badThird = Wire.NODES.objectNode().set("Map", Wire.NODES.arrayNode().add(goodEntry).add(goodEntry.deepCopy())
        .add(Wire.NODES.arrayNode().add("Null")));
    assertThatThrownBy(() -> MessageCodec.decode(MessageCodec.encode(Message.DispatchResponse.ok(7, badThird))))
        .isInstanceOf(io.templateworker.mesophyll.protocol.MalformedFrameException.class)
        .hasMessageContaining("invalid KhronosValue");
  }

  @Test
  void the_master_reads_reply_values_as_template_values_without_a_tree() throws Exception {
    MessageCodec.readReplyValuesWith(Wire.TAGGED_VALUES); // as ProcessHandle installs it

    Message.DispatchResponse ok = (Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.encodable(VALUE))));
    Message.DispatchResponse failed = (Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.err(8, "boom")));

    assertThat(ok.value()).isInstanceOf(com.fasterxml.jackson.databind.node.POJONode.class);
    assertThat(Wire.value(ok.value())).isEqualTo(VALUE);
    KhronosValue entry = KhronosValue.textMap("type", new KhronosValue.Text("ok"), "id", new KhronosValue.Text("a"));
    KhronosValue once = Wire.value(((Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.ok(9, Wire.encodable(entry))))).value());
    KhronosValue again = Wire.value(((Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.ok(10, Wire.encodable(entry))))).value());
    assertThat(again).isEqualTo(entry);
    assertThat(((KhronosValue.MapValue) again).entries().get(0).key())
        .as("a short text read again is the same Text").isSameAs(((KhronosValue.MapValue) once).entries().get(0).key());
    assertThat(failed.value().isNull()).isTrue();
    assertThat(failed.error()).isEqualTo("boom");
  }

  @Test
  void an_event_crosses_the_wire_with_its_data() throws Exception {
    CreateEvent event = CreateEvent.of("MESSAGE", VALUE);

    Message.DispatchEvent decoded = (Message.DispatchEvent) MessageCodec.decode(MessageCodec.encode(
        new Message.DispatchEvent(Wire.tenant(TenantId.guild(1)), Wire.event(event), 1L)));

    assertThat(Wire.event(decoded.event()).data()).isEqualTo(VALUE);
    assertThat(Wire.event(Wire.event(event)).data()).as("handed over without encoding").isEqualTo(VALUE);
  }
}
