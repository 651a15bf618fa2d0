package io.templateworker.runtime.store;

import java.nio.charset.StandardCharsets;

/**
 * Object naming shared by every {@link ObjectStore} adapter (UPSTREAM.md §10.1): buckets per tenant type, keys
 * {@code {tenant_id}/{path}}, and the path rules. Unlike upstream, the length limit applies to every operation,
 * not only uploads (gap 25).
 */
public final class ObjectPaths {
  public static final String GUILD_BUCKET = "antiraid.guilds";
  public static final String USER_BUCKET = "antiraid.users";
  /** Longest path, in UTF-8 bytes. */
  public static final int MAX_PATH_BYTES = 2048;

  private ObjectPaths() {
  }

  public static String bucket(TenantId tenant) {
    return tenant.type() == TenantId.Type.GUILD ? GUILD_BUCKET : USER_BUCKET;
  }

  /** The object key of a checked path: {@code {tenant_id}/{path}}. */
  public static String key(TenantId tenant, String path) {
    return tenant.idString() + "/" + checkPath(path);
  }

  /** The key prefix of a list call; {@code prefix} may be null or empty, or end with {@code /}. */
  public static String keyPrefix(TenantId tenant, String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return tenant.idString() + "/";
    }
    String body = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    checkPath(body);
    return tenant.idString() + "/" + prefix;
  }

  /**
   * Checks a path: 1 to 2048 UTF-8 bytes, no NUL or backslash, and no empty, {@code .} or {@code ..} segment
   * (so no leading or trailing {@code /}); returns it.
   */
  public static String checkPath(String path) {
    if (path == null || path.isEmpty()) {
      throw invalid("object path must not be empty");
    }
    int bytes = path.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "object path is " + bytes + " bytes; the limit is "
          + MAX_PATH_BYTES);
    }
    if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      throw invalid("object path \"" + shorten(path) + "\" contains a NUL or backslash character");
    }
    int start = 0;
    while (true) {
      int slash = path.indexOf('/', start);
      String segment = slash < 0 ? path.substring(start) : path.substring(start, slash);
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw invalid("object path \"" + shorten(path) + "\" has an empty, '.' or '..' segment (path traversal is not allowed)");
      }
      if (slash < 0) {
        return path;
      }
      start = slash + 1;
    }
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static StoreException invalid(String message) {
    return new StoreException(StoreException.Kind.INVALID_ARGUMENT, message);
  }
}
