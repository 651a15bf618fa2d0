package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;

/**
 * A CreateEvent on the wire: its name, the authorising user (or null), its data and the scopes of a
 * scoped event (empty otherwise). {@code data} is the tagged form of §7.4 ({@code {"Json": …}} or
 * {@code {"KhronosValue": …}}).
 */
public record WireEvent(String name, String author, JsonNode data, List<String> scopes) {
  public WireEvent(String name, String author, JsonNode data) {
    this(name, author, data, List.of());
  }

  public WireEvent {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name is missing");
    }
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
    if (data == null) {
      data = NullNode.getInstance();
    }
  }
}
