package io.templateworker.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import io.templateworker.runtime.khronos.KhronosValue;

/**
 * An event to dispatch: {@code {name, data}} (upstream's {@code PublicLuauExecute}).
 *
 * @param name the event name (non-empty; {@code Web…} on the public route)
 * @param data the event data; {@code "Null"} when absent
 */
public record PublicLuauExecute(
        @JsonProperty(value = "name", required = true) @Schema(description = "Event name", example = "WebPing") String name,
        @JsonProperty("data") @Schema(description = "Event data (defaults to \"Null\")") KhronosValue data) {

    public PublicLuauExecute {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("\"name\" must be a non-empty string (the event name)");
        }
        if (name.length() > 128) {
            throw new IllegalArgumentException("\"name\" is " + name.length() + " characters; event names have at most 128");
        }
        data = data == null ? KhronosValue.Null.INSTANCE : data;
    }
}
