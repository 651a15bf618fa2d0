package io.templateworker.runtime.event;

import io.templateworker.runtime.khronos.KhronosValue;
import java.util.List;
import java.util.Objects;

/**
 * An event for a tenant's templates (UPSTREAM.md §7.4): its {@code name}, the authorising user's id or null,
 * and its data. {@code scopes} is non-empty only for scoped events such as {@code KeyExpiry}: a template
 * subscribed to {@code KeyExpiry[s]} receives the event when {@code s} is one of them (§7.7).
 *
 * <p>Gateway events carry Discord's JSON as received in {@code json} (upstream's {@code RawValue} variant; then
 * {@code data} is {@code Null}): templates see it converted as plain JSON, not as a KhronosValue.
 */
public record CreateEvent(String name, String author, KhronosValue data, List<String> scopes, RawJson json) {

  public CreateEvent {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("event name must be a non-empty string");
    }
    data = data == null ? KhronosValue.Null.INSTANCE : data;
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }

  public CreateEvent(String name, String author, KhronosValue data, List<String> scopes) {
    this(name, author, data, scopes, null);
  }

  /** An event whose data is JSON as received (a gateway dispatch's {@code d}). */
  public static CreateEvent ofJson(String name, String author, RawJson json) {
    return new CreateEvent(name, author, null, List.of(), Objects.requireNonNull(json, "json"));
  }

  public static CreateEvent of(String name, KhronosValue data) {
    return new CreateEvent(name, null, data, List.of());
  }

  public static CreateEvent scoped(String name, KhronosValue data, List<String> scopes) {
    return new CreateEvent(name, null, data, Objects.requireNonNull(scopes, "scopes"));
  }
}
