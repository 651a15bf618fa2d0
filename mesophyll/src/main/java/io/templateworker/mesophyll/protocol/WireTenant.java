package io.templateworker.mesophyll.protocol;

/**
 * A tenant as it crosses the wire: {@code type} is {@code "Guild"} or {@code "User"} and {@code id}
 * the snowflake as a decimal string, as upstream's adjacently tagged tenant id.
 */
public record WireTenant(String type, String id) {
  public WireTenant {
    if (!"Guild".equals(type) && !"User".equals(type)) {
      throw new IllegalArgumentException("tenant type must be Guild or User, got: " + type);
    }
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("tenant id is missing");
    }
  }

  public static WireTenant guild(long id) {
    return new WireTenant("Guild", Long.toUnsignedString(id));
  }

  public static WireTenant user(long id) {
    return new WireTenant("User", Long.toUnsignedString(id));
  }

  /** The snowflake as an unsigned 64-bit value. */
  public long snowflake() {
    return Long.parseUnsignedLong(id);
  }
}
