package io.templateworker.worker.testing;

import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Exact-scope get/set/delete only: what the scripted templates use. Other operations are not needed here. */
public final class MemoryKv implements KvStore {
  private final ConcurrentHashMap<String, KvRecord> rows = new ConcurrentHashMap<>();

  private static String id(TenantId tenant, List<String> scopes, String key) {
    return tenant + "|" + scopes + "|" + key;
  }

  @Override
  public KvRecord get(TenantId tenant, List<String> scopes, String key) {
    return rows.get(id(tenant, scopes, key));
  }

  @Override
  public SetResult set(TenantId tenant, List<String> scopes, String key, KhronosValue value, Instant expiresAt, boolean resume) {
    String id = id(tenant, scopes, key);
    KvRecord old = rows.put(id, new KvRecord(id, key, value, scopes, Instant.EPOCH, Instant.EPOCH, expiresAt, resume));
    return new SetResult(id, old != null);
  }

  @Override
  public boolean delete(TenantId tenant, List<String> scopes, String key) {
    return rows.remove(id(tenant, scopes, key)) != null;
  }

  @Override
  public KvRecord getById(TenantId tenant, String id) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public boolean exists(TenantId tenant, List<String> scopes, String key) {
    return get(tenant, scopes, key) != null;
  }

  @Override
  public List<String> keys(TenantId tenant, List<String> scopes) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public List<KvRecord> find(TenantId tenant, List<String> scopes, String query) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public List<String> listScopes(TenantId tenant) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public void setById(TenantId tenant, String id, KhronosValue value, Instant expiresAt, boolean resume) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public void setExpiry(TenantId tenant, List<String> scopes, String key, Instant expiresAt) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public void setExpiryById(TenantId tenant, String id, Instant expiresAt) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public boolean deleteById(TenantId tenant, String id) {
    throw new UnsupportedOperationException("not used by these tests");
  }
}
