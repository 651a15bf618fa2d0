package io.templateworker.runtime.khronos;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Lets any Jackson {@code ObjectMapper} (JSON, or MessagePack for Mesophyll) read and write {@link KhronosValue}
 * fields in the v2 wire format: {@code mapper.registerModule(new KhronosJacksonModule())}.
 */
public final class KhronosJacksonModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    public KhronosJacksonModule() {
        super("KhronosValue");
        addSerializer(KhronosValue.class, new Writer());
        addDeserializer(KhronosValue.class, new Reader());
    }

    private static final class Writer extends JsonSerializer<KhronosValue> {
        @Override
        public void serialize(KhronosValue value, JsonGenerator g, SerializerProvider provider) throws IOException {
            KhronosJson.write(g, value);
        }
    }

    private static final class Reader extends JsonDeserializer<KhronosValue> {
        @Override
        public KhronosValue deserialize(JsonParser p, DeserializationContext context) throws IOException {
            return KhronosJson.read(p);
        }

        /** A JSON {@code null} where a KhronosValue is expected reads as Null, not as a missing value. */
        @Override
        public KhronosValue getNullValue(DeserializationContext context) {
            return KhronosValue.Null.INSTANCE;
        }
    }
}
