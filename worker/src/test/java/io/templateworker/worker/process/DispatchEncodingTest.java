package io.templateworker.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.RawJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The master writes each DispatchEvent straight from the tenant and the event: the bytes of the message it replaces. */
class DispatchEncodingTest {
  private static byte[] direct(TenantId tenant, CreateEvent event, long reqId) {
    ByteBuffer encoded = Wire.encodeDispatch(tenant, event, reqId, out -> Wire.writeEventData(out, event));
    if (encoded == null) {
      return null;
    }
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    return bytes;
  }

  private static byte[] viaMessage(TenantId tenant, CreateEvent event, long reqId) {
    return MessageCodec.encode(new Message.DispatchEvent(Wire.tenant(tenant), Wire.event(event), reqId));
  }

  @Test
  void every_tenant_event_and_request_id_is_written_as_the_message_would_be() throws Exception {
    KhronosValue map = KhronosValue.textMap("text", new KhronosValue.Text("héllo"), "int", new KhronosValue.Int(-42),
        "list", new KhronosValue.ListValue(List.of(new KhronosValue.Float(1.5), KhronosValue.Bool.TRUE)));
    List<CreateEvent> events = List.of(
        CreateEvent.of("E", KhronosValue.Null.INSTANCE),
        new CreateEvent("MESSAGE", "123456789012345678", map, List.of("a", "ü".repeat(40))),
        CreateEvent.scoped("KeyExpiry", new KhronosValue.Text("x".repeat(300)), List.of("s".repeat(70))),
        new CreateEvent("N".repeat(40), null, new KhronosValue.Int(Long.MIN_VALUE), null));
    List<TenantId> tenants = List.of(TenantId.guild(1), TenantId.guild(9), TenantId.guild(1234567890123456789L),
        TenantId.guild(-1L), TenantId.user(42), TenantId.user(Long.MIN_VALUE));
    for (CreateEvent event : events) {
      for (TenantId tenant : tenants) {
        for (long reqId : new long[] {0, 1, 127, 128, 65_536, 4_294_967_296L, Long.MAX_VALUE}) {
          byte[] direct = direct(tenant, event, reqId);
          assertThat(direct).as(tenant + " " + event + " " + reqId).isEqualTo(viaMessage(tenant, event, reqId));
          assertThat(MessageCodec.decode(direct)).isEqualTo(MessageCodec.decode(viaMessage(tenant, event, reqId)));
        }
      }
    }
  }

  @Test
  void raw_json_and_values_the_direct_writer_leaves_out_take_the_message() {
    assertThat(direct(TenantId.guild(1), CreateEvent.ofJson("MESSAGE", null, RawJson.of("{\"a\":1}")), 1)).isNull();
    KhronosValue timestamp = new KhronosValue.Timestamptz(Instant.parse("2026-12-05T04:00:00Z"));
    assertThat(direct(TenantId.guild(1), CreateEvent.of("E", timestamp), 1)).isNull();
  }

  @Test
  void a_tenant_type_or_event_name_the_records_refuse_is_refused_here_too() {
    assertThatThrownBy(() -> MessageCodec.encodeDispatchEvent("Moon", 1, "E", null, out -> true, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageCodec.encodeDispatchEvent("Guild", 1, "", null, out -> true, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
