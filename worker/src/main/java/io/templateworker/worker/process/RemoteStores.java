package io.templateworker.worker.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mesophyll.client.MesophyllClient;
import io.templateworker.mesophyll.protocol.DbOps;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.mesophyll.protocol.WireTenant;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store ports of a process-pool child, each call a Mesophyll DB request answered by the master. A lost
 * master connection surfaces as {@link StoreException} {@code UNAVAILABLE}, like a database outage.
 */
public final class RemoteStores {
  private final MesophyllClient client;

  public RemoteStores(MesophyllClient client) {
    this.client = client;
  }

  public TenantServices services() {
    return new TenantServices(new States(), new Templates(), new Kv(), new GlobalKvs());
  }

  private JsonNode call(String op, TenantId tenant, JsonNode args) {
    WireTenant wire = tenant == null ? null : Wire.tenant(tenant);
    try {
      return DbCodec.unwrap(client.db(op, wire, args));
    } catch (MesophyllException e) {
      throw new StoreException(StoreException.Kind.UNAVAILABLE, e.getMessage());
    }
  }

  private final class States implements TenantStateStore {
    @Override
    public TenantState get(TenantId tenant) {
      return DbCodec.state(call(DbOps.GET_TENANT_STATE, tenant, null));
    }

    @Override
    public void set(TenantId tenant, TenantState state) {
      call(DbOps.SET_TENANT_STATE, tenant, DbCodec.state(state));
    }

    @Override
    public void setBanned(TenantId tenant, boolean banned) {
      throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "banning is a staff action on the master, not available in a worker");
    }

    @Override
    public Map<TenantId, TenantState> listForWorker(int workerId, int workers) {
      Map<TenantId, TenantState> out = new HashMap<>();
      for (JsonNode item : call(DbOps.LIST_TENANT_STATES, null, null)) {
        TenantId tenant = new TenantId(TenantId.Type.parse(item.get("type").asText()), item.get("id").asLong());
        out.put(tenant, DbCodec.state(item.get("state")));
      }
      return out;
    }
  }

  private final class Templates implements TemplateStore {
    @Override
    public List<Template> list(TenantId tenant) {
      List<Template> out = new ArrayList<>();
      for (JsonNode t : call(DbOps.LIST_TEMPLATES, tenant, null)) {
        out.add(DbCodec.template(tenant, t));
      }
      return out;
    }

    @Override
    public Template get(TenantId tenant, String name) {
      for (Template t : list(tenant)) {
        if (t.name().equals(name)) {
          return t;
        }
      }
      return null;
    }

    @Override
    public List<TenantId> tenantsListening(String event, int workerId, int workers) {
      ObjectNode args = Wire.NODES.objectNode();
      args.put("event", event);
      List<TenantId> out = new ArrayList<>();
      for (JsonNode item : call(DbOps.TEMPLATES_LISTENING, null, args)) {
        out.add(new TenantId(TenantId.Type.parse(item.get("type").asText()), item.get("id").asLong()));
      }
      return out;
    }

    @Override
    public Template create(TenantId tenant, TemplateSpec spec) {
      throw readOnly();
    }

    @Override
    public Template update(TenantId tenant, String name, TemplateSpec spec) {
      throw readOnly();
    }

    @Override
    public boolean delete(TenantId tenant, String name) {
      throw readOnly();
    }

    private StoreException readOnly() {
      return new StoreException(StoreException.Kind.INVALID_ARGUMENT, "templates are managed through the API on the master; workers only read them");
    }
  }

  private final class Kv implements KvStore {
    private ObjectNode args(String op, List<String> scopes, String key) {
      ObjectNode a = Wire.NODES.objectNode();
      a.put("op", op);
      if (scopes != null) {
        a.set("scopes", DbCodec.strings(scopes));
      }
      a.put("key", key);
      return a;
    }

    private ObjectNode byId(String op, String id) {
      ObjectNode a = args(op, null, null);
      a.put("id", id);
      return a;
    }

    private JsonNode kv(TenantId tenant, ObjectNode args) {
      return call(DbOps.KV, tenant, args);
    }

    @Override
    public KvRecord get(TenantId tenant, List<String> scopes, String key) {
      return DbCodec.record(kv(tenant, args("get", scopes, key)));
    }

    @Override
    public KvRecord getById(TenantId tenant, String id) {
      return DbCodec.record(kv(tenant, byId("getById", id)));
    }

    @Override
    public boolean exists(TenantId tenant, List<String> scopes, String key) {
      return kv(tenant, args("exists", scopes, key)).asBoolean();
    }

    @Override
    public List<String> keys(TenantId tenant, List<String> scopes) {
      return DbCodec.strings(kv(tenant, args("keys", scopes, null)));
    }

    @Override
    public List<KvRecord> find(TenantId tenant, List<String> scopes, String query) {
      ObjectNode a = args("find", scopes, null);
      a.put("query", query);
      List<KvRecord> out = new ArrayList<>();
      for (JsonNode r : kv(tenant, a)) {
        out.add(DbCodec.record(r));
      }
      return out;
    }

    @Override
    public List<String> listScopes(TenantId tenant) {
      return DbCodec.strings(kv(tenant, args("listScopes", null, null)));
    }

    @Override
    public SetResult set(TenantId tenant, List<String> scopes, String key, KhronosValue value, Instant expiresAt, boolean resume) {
      ObjectNode a = args("set", scopes, key);
      a.set("value", Wire.value(value));
      a.put("expiresAt", DbCodec.instant(expiresAt));
      a.put("resume", resume);
      JsonNode r = kv(tenant, a);
      return new SetResult(r.get("id").asText(), r.get("existed").asBoolean());
    }

    @Override
    public void setById(TenantId tenant, String id, KhronosValue value, Instant expiresAt, boolean resume) {
      ObjectNode a = byId("setById", id);
      a.set("value", Wire.value(value));
      a.put("expiresAt", DbCodec.instant(expiresAt));
      a.put("resume", resume);
      kv(tenant, a);
    }

    @Override
    public void setExpiry(TenantId tenant, List<String> scopes, String key, Instant expiresAt) {
      ObjectNode a = args("setExpiry", scopes, key);
      a.put("expiresAt", DbCodec.instant(expiresAt));
      kv(tenant, a);
    }

    @Override
    public void setExpiryById(TenantId tenant, String id, Instant expiresAt) {
      ObjectNode a = byId("setExpiryById", id);
      a.put("expiresAt", DbCodec.instant(expiresAt));
      kv(tenant, a);
    }

    @Override
    public boolean delete(TenantId tenant, List<String> scopes, String key) {
      return kv(tenant, args("delete", scopes, key)).asBoolean();
    }

    @Override
    public boolean deleteById(TenantId tenant, String id) {
      return kv(tenant, byId("deleteById", id)).asBoolean();
    }
  }

  /** A tenant's global KV calls; the master answers them as that tenant (its owner checks and purchases). */
  private final class GlobalKvs implements io.templateworker.runtime.store.GlobalKvStore {
    private ObjectNode args(String op, String key, Integer version, String scope) {
      ObjectNode a = Wire.NODES.objectNode();
      a.put("op", op);
      a.put("key", key);
      if (version != null) {
        a.put("version", version);
      }
      a.put("scope", scope);
      return a;
    }

    @Override
    public List<io.templateworker.runtime.store.PartialGlobalKv> find(String scope, String query) {
      ObjectNode a = args("find", null, null, scope);
      a.put("query", query);
      List<io.templateworker.runtime.store.PartialGlobalKv> out = new ArrayList<>();
      for (JsonNode n : call(DbOps.GLOBAL_KV, null, a)) {
        out.add(DbCodec.partial(n));
      }
      return out;
    }

    @Override
    public io.templateworker.runtime.store.GlobalKv get(String key, int version, String scope, TenantId reader) {
      return DbCodec.globalKv(call(DbOps.GLOBAL_KV, reader, args("get", key, version, scope)));
    }

    @Override
    public void create(TenantId owner, io.templateworker.runtime.store.CreateGlobalKv entry) {
      ObjectNode a = args("create", entry.key(), entry.version(), entry.scope());
      a.put("short", entry.shortDescription());
      a.set("publicMetadata", Wire.value(entry.publicMetadata()));
      a.put("publicData", entry.publicData());
      a.put("long", entry.longDescription());
      a.set("data", Wire.value(entry.data()));
      call(DbOps.GLOBAL_KV, owner, a);
    }

    @Override
    public void createStaffEntry(String staffUserId, io.templateworker.runtime.store.CreateGlobalKv entry, Integer price) {
      throw staffOnly();
    }

    @Override
    public void delete(TenantId owner, String key, int version, String scope) {
      call(DbOps.GLOBAL_KV, owner, args("delete", key, version, scope));
    }

    @Override
    public void setReviewState(String key, int version, String scope, io.templateworker.runtime.store.ReviewState state) {
      throw staffOnly();
    }

    @Override
    public void recordPurchase(TenantId buyer, String key, int version, String scope) {
      throw staffOnly();
    }

    private StoreException staffOnly() {
      return new StoreException(StoreException.Kind.INVALID_ARGUMENT, "global KV review, pricing and purchases are staff actions on the master");
    }
  }
}
