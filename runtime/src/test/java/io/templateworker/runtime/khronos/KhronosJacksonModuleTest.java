package io.templateworker.runtime.khronos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class KhronosJacksonModuleTest {

    record Envelope(String name, KhronosValue data, List<KhronosValue> more) {
    }

    @Test
    void khronos_values_inside_records_use_the_wire_format() throws Exception {
        ObjectMapper mapper = new ObjectMapper().registerModule(new KhronosJacksonModule());
        Envelope e = new Envelope("KeyExpiry", KhronosValue.textMap("id", new KhronosValue.Text("abc")),
                List.of(KhronosValue.Null.INSTANCE, new KhronosValue.Int(7)));
        String json = mapper.writeValueAsString(e);
        assertThat(json).isEqualTo("{\"name\":\"KeyExpiry\",\"data\":{\"Map\":[[{\"Text\":\"id\"},{\"Text\":\"abc\"}]]},"
                + "\"more\":[\"Null\",{\"Integer\":7}]}");
        assertThat(mapper.readValue(json, Envelope.class)).isEqualTo(e);
    }
}
