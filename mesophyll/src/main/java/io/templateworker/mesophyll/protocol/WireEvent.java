package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A CreateEvent on the wire: its name, the authorising user (or null) and its data. {@code data} is
 * the tagged form of §7.4 ({@code {"Json": …}} or {@code {"KhronosValue": …}}).
 */
public record WireEvent(String name, String author, JsonNode data) {
  public WireEvent {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name is missing");
    }
    if (data == null) {
      data = NullNode.getInstance();
    }
  }
}
