package io.templateworker.worker.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.mesophyll.protocol.DbOps;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.server.MesophyllServer;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import java.util.List;
import java.util.Map;

/**
 * Runs process workers' database requests on the master's stores (upstream's {@code /db/*} routes). Unlike
 * upstream (gap 15), a worker may only touch tenants routed to it.
 */
public final class MasterDbService implements MesophyllServer.DbHandler {
  private final TenantServices services;
  private final int workers;

  public MasterDbService(TenantServices services, int workers) {
    this.services = services;
    this.workers = workers;
  }

  @Override
  public JsonNode handle(int workerId, Message.DbRequest request) {
    if (DbOps.LIST_TENANT_STATES.equals(request.op())) {
      ArrayNode out = Wire.NODES.arrayNode();
      for (Map.Entry<TenantId, TenantState> e : services.tenantStates().listForWorker(workerId, workers).entrySet()) {
        ObjectNode item = out.addObject();
        item.put("type", e.getKey().type().sqlName());
        item.put("id", e.getKey().id());
        item.set("state", DbCodec.state(e.getValue()));
      }
      return out;
    }
    if (DbOps.TEMPLATES_LISTENING.equals(request.op())) {
      ArrayNode out = Wire.NODES.arrayNode();
      for (TenantId t : services.templates().tenantsListening(request.args().path("event").asText(), workerId, workers)) {
        ObjectNode item = out.addObject();
        item.put("type", t.type().sqlName());
        item.put("id", t.id());
      }
      return out;
    }
    if (DbOps.GLOBAL_KV.equals(request.op()) && request.tenant() == null) {
      try {
        return globalKv(null, request.args());
      } catch (StoreException e) {
        return DbCodec.storeError(e);
      }
    }
    TenantId tenant = Wire.tenant(request.tenant());
    int owner = tenant.workerOf(workers);
    if (owner != workerId) {
      throw new IllegalArgumentException("worker " + workerId + " may not access tenant " + tenant + ": it belongs to worker " + owner);
    }
    try {
      return run(tenant, request.op(), request.args());
    } catch (StoreException e) {
      return DbCodec.storeError(e);
    }
  }

  private JsonNode run(TenantId tenant, String op, JsonNode args) {
    switch (op) {
      case DbOps.GET_TENANT_STATE:
        return DbCodec.state(services.tenantStates().get(tenant));
      case DbOps.SET_TENANT_STATE:
        services.tenantStates().set(tenant, DbCodec.state(args));
        return Wire.NODES.nullNode();
      case DbOps.LIST_TEMPLATES: {
        ArrayNode out = Wire.NODES.arrayNode();
        for (Template t : services.templates().list(tenant)) {
          out.add(DbCodec.template(t));
        }
        return out;
      }
      case DbOps.KV:
        return kv(tenant, args);
      case DbOps.GLOBAL_KV:
        return globalKv(tenant, args);
      default:
        throw new IllegalArgumentException("unknown db operation '" + op + "'");
    }
  }

  private JsonNode kv(TenantId tenant, JsonNode a) {
    KvStore kv = services.kv();
    if (kv == null) {
      throw new StoreException(StoreException.Kind.UNAVAILABLE, "the master has no KV store configured");
    }
    String kvOp = a.get("op").asText();
    List<String> scopes = DbCodec.strings(a.get("scopes"));
    String key = DbCodec.text(a.get("key"));
    String id = DbCodec.text(a.get("id"));
    switch (kvOp) {
      case "get":
        return DbCodec.record(kv.get(tenant, scopes, key));
      case "getById":
        return DbCodec.record(kv.getById(tenant, id));
      case "exists":
        return Wire.NODES.booleanNode(kv.exists(tenant, scopes, key));
      case "keys":
        return DbCodec.strings(kv.keys(tenant, scopes));
      case "find": {
        ArrayNode out = Wire.NODES.arrayNode();
        for (KvRecord r : kv.find(tenant, scopes, DbCodec.text(a.get("query")))) {
          out.add(DbCodec.record(r));
        }
        return out;
      }
      case "listScopes":
        return DbCodec.strings(kv.listScopes(tenant));
      case "set": {
        SetResult r = kv.set(tenant, scopes, key, Wire.value(a.get("value")), DbCodec.instant(a.get("expiresAt")),
            a.get("resume").asBoolean());
        return Wire.JSON.valueToTree(r);
      }
      case "setById":
        kv.setById(tenant, id, Wire.value(a.get("value")), DbCodec.instant(a.get("expiresAt")), a.get("resume").asBoolean());
        return Wire.NODES.nullNode();
      case "setExpiry":
        kv.setExpiry(tenant, scopes, key, DbCodec.instant(a.get("expiresAt")));
        return Wire.NODES.nullNode();
      case "setExpiryById":
        kv.setExpiryById(tenant, id, DbCodec.instant(a.get("expiresAt")));
        return Wire.NODES.nullNode();
      case "delete":
        return Wire.NODES.booleanNode(kv.delete(tenant, scopes, key));
      case "deleteById":
        return Wire.NODES.booleanNode(kv.deleteById(tenant, id));
      default:
        throw new IllegalArgumentException("unknown kv operation '" + kvOp + "'");
    }
  }

  /** Global KV for a worker's tenant ({@code tenant} null only for {@code find}, which reads no tenant data). */
  private JsonNode globalKv(TenantId tenant, JsonNode a) {
    io.templateworker.runtime.store.GlobalKvStore store = services.globalKv();
    if (store == null) {
      throw new StoreException(StoreException.Kind.UNAVAILABLE, "the master has no global KV store configured");
    }
    String op = a.get("op").asText();
    String key = DbCodec.text(a.get("key"));
    String scope = DbCodec.text(a.get("scope"));
    int version = a.path("version").asInt();
    if (tenant == null && !"find".equals(op)) {
      throw new IllegalArgumentException("global KV " + op + " needs the calling tenant");
    }
    switch (op) {
      case "find": {
        ArrayNode out = Wire.NODES.arrayNode();
        for (io.templateworker.runtime.store.PartialGlobalKv p : store.find(scope, DbCodec.text(a.get("query")))) {
          out.add(DbCodec.partial(p));
        }
        return out;
      }
      case "get":
        return DbCodec.globalKv(store.get(key, version, scope, tenant));
      case "create":
        store.create(tenant, new io.templateworker.runtime.store.CreateGlobalKv(key, version, DbCodec.text(a.get("short")),
            Wire.value(a.get("publicMetadata")), scope, a.get("publicData").asBoolean(), DbCodec.text(a.get("long")),
            Wire.value(a.get("data"))));
        return Wire.NODES.nullNode();
      case "delete":
        store.delete(tenant, key, version, scope);
        return Wire.NODES.nullNode();
      default:
        throw new IllegalArgumentException("unknown global KV operation '" + op + "'");
    }
  }
}
