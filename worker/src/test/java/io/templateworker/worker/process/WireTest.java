package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

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
  void the_master_reads_reply_values_as_template_values_without_a_tree() throws Exception {
    MessageCodec.readReplyValuesWith(Wire::readTagged); // as ProcessHandle installs it

    Message.DispatchResponse ok = (Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.ok(7, Wire.encodable(VALUE))));
    Message.DispatchResponse failed = (Message.DispatchResponse) MessageCodec.decode(
        MessageCodec.encode(Message.DispatchResponse.err(8, "boom")));

    assertThat(ok.value()).isInstanceOf(com.fasterxml.jackson.databind.node.POJONode.class);
    assertThat(Wire.value(ok.value())).isEqualTo(VALUE);
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
