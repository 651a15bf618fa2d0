package io.templateworker.runtime.store;

import java.time.Duration;
import java.util.List;

/**
 * A tenant's object storage (UPSTREAM.md §8.7, §10.1): files under a per-tenant prefix of a bucket. Guild
 * tenants use bucket {@value ObjectPaths#GUILD_BUCKET}, user tenants {@value ObjectPaths#USER_BUCKET}; an
 * object's key is {@code {tenant_id}/{path}}. Paths are checked by {@link ObjectPaths} on every operation
 * (at most 2048 bytes, no empty, {@code .} or {@code ..} segment), so no operation leaves the tenant's prefix.
 * Failures are {@link StoreException}s with a message for the template author.
 */
public interface ObjectStore {

  /** The tenant's objects whose path starts with {@code prefix} (null or empty = all), sorted by path. */
  List<ObjectInfo> list(TenantId tenant, String prefix);

  boolean exists(TenantId tenant, String path);

  /**
   * The object's bytes; NOT_FOUND if there is none; LIMIT_EXCEEDED (before reading it) if it is larger than
   * {@code maxBytes}.
   */
  byte[] download(TenantId tenant, String path, long maxBytes);

  /** A URL from which the object can be fetched for {@code expiry} (a presigned GET for S3). */
  String url(TenantId tenant, String path, Duration expiry);

  /** Stores (replaces) the object. Size limits are the caller's (the plugin checks the configured cap). */
  void upload(TenantId tenant, String path, byte[] data);

  /** Deletes the object; deleting a missing object is not an error (as S3). */
  void delete(TenantId tenant, String path);
}
