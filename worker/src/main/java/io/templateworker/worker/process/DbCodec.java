package io.templateworker.worker.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON shapes of the store records carried by the Mesophyll DB proxy, and of a {@link StoreException}
 * ({@code {"storeError": {kind, message}}}) so the child rethrows it with its kind intact.
 */
final class DbCodec {
  private DbCodec() {}

  static JsonNode state(TenantState state) {
    ObjectNode n = Wire.NODES.objectNode();
    ArrayNode events = n.putArray("events");
    for (String e : state.events()) {
      events.add(e);
    }
    n.put("banned", state.banned());
    n.put("can_manage_guild_commands", state.canManageGuildCommands());
    n.set("data", state.data());
    return n;
  }

  static TenantState state(JsonNode n) {
    Set<String> events = new HashSet<>();
    for (JsonNode e : n.get("events")) {
      events.add(e.asText());
    }
    return new TenantState(events, n.get("banned").asBoolean(), n.get("data"), n.path("can_manage_guild_commands").asBoolean());
  }

  static JsonNode template(Template t) {
    ObjectNode n = Wire.NODES.objectNode();
    n.put("name", t.name());
    ObjectNode content = n.putObject("content");
    for (Map.Entry<String, String> e : t.content().entrySet()) {
      content.put(e.getKey(), e.getValue());
    }
    n.set("events", strings(t.events()));
    n.set("allowedCaps", strings(t.allowedCaps()));
    n.put("paused", t.paused());
    n.put("errorChannel", t.errorChannel());
    n.put("language", t.language());
    n.put("createdAt", instant(t.createdAt()));
    n.put("lastUpdatedAt", instant(t.lastUpdatedAt()));
    return n;
  }

  static Template template(TenantId owner, JsonNode n) {
    Map<String, String> content = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.get("content").properties()) {
      content.put(e.getKey(), e.getValue().asText());
    }
    return new Template(owner, n.get("name").asText(), content, strings(n.get("events")), strings(n.get("allowedCaps")),
        n.get("paused").asBoolean(), text(n.get("errorChannel")), text(n.get("language")),
        instant(n.get("createdAt")), instant(n.get("lastUpdatedAt")));
  }

  static JsonNode record(KvRecord r) {
    if (r == null) {
      return Wire.NODES.nullNode();
    }
    ObjectNode n = Wire.NODES.objectNode();
    n.put("id", r.id());
    n.put("key", r.key());
    n.set("value", Wire.value(r.value()));
    n.set("scopes", strings(r.scopes()));
    n.put("createdAt", instant(r.createdAt()));
    n.put("lastUpdatedAt", instant(r.lastUpdatedAt()));
    n.put("expiresAt", instant(r.expiresAt()));
    n.put("resume", r.resume());
    return n;
  }

  static KvRecord record(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return new KvRecord(n.get("id").asText(), n.get("key").asText(), Wire.value(n.get("value")), strings(n.get("scopes")),
        instant(n.get("createdAt")), instant(n.get("lastUpdatedAt")), instant(n.get("expiresAt")), n.get("resume").asBoolean());
  }

  static JsonNode storeError(StoreException e) {
    ObjectNode n = Wire.NODES.objectNode();
    ObjectNode err = n.putObject("storeError");
    err.put("kind", e.kind().name());
    err.put("message", e.getMessage());
    return n;
  }

  /** Rethrows a store error carried in a reply; returns the reply otherwise. */
  static JsonNode unwrap(JsonNode reply) {
    if (reply != null && reply.isObject() && reply.has("storeError")) {
      JsonNode err = reply.get("storeError");
      throw new StoreException(StoreException.Kind.valueOf(err.get("kind").asText()), err.get("message").asText());
    }
    return reply;
  }

  static ArrayNode strings(List<String> list) {
    ArrayNode a = Wire.NODES.arrayNode(list.size());
    for (int i = 0; i < list.size(); i++) {
      a.add(list.get(i));
    }
    return a;
  }

  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>(n == null ? 0 : n.size());
    if (n != null) {
      for (JsonNode s : n) {
        out.add(s.asText());
      }
    }
    return out;
  }

  static String instant(Instant i) {
    return i == null ? null : KhronosJson.formatInstant(i);
  }

  static Instant instant(JsonNode n) {
    return n == null || n.isNull() ? null : KhronosJson.parseInstant(n.asText());
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  static JsonNode partial(io.templateworker.runtime.store.PartialGlobalKv p) {
    ObjectNode n = Wire.NODES.objectNode();
    n.put("key", p.key());
    n.put("version", p.version());
    n.put("ownerId", p.ownerId());
    n.put("ownerType", p.ownerType());
    if (p.price() != null) {
      n.put("price", p.price());
    }
    n.put("short", p.shortDescription());
    n.set("publicMetadata", Wire.value(p.publicMetadata()));
    n.put("scope", p.scope());
    n.put("createdAt", instant(p.createdAt()));
    n.put("lastUpdatedAt", instant(p.lastUpdatedAt()));
    n.put("publicData", p.publicData());
    n.put("reviewState", p.reviewState().sqlName());
    n.put("long", p.longDescription());
    return n;
  }

  static io.templateworker.runtime.store.PartialGlobalKv partial(JsonNode n) {
    return new io.templateworker.runtime.store.PartialGlobalKv(n.get("key").asText(), n.get("version").asInt(),
        n.get("ownerId").asText(), n.get("ownerType").asText(), n.hasNonNull("price") ? n.get("price").asInt() : null,
        n.get("short").asText(), Wire.value(n.get("publicMetadata")), n.get("scope").asText(), instant(n.get("createdAt")),
        instant(n.get("lastUpdatedAt")), n.get("publicData").asBoolean(),
        io.templateworker.runtime.store.ReviewState.parse(n.get("reviewState").asText()), text(n.get("long")));
  }

  static JsonNode globalKv(io.templateworker.runtime.store.GlobalKv kv) {
    if (kv == null) {
      return Wire.NODES.nullNode();
    }
    ObjectNode n = Wire.NODES.objectNode();
    n.set("partial", partial(kv.partial()));
    ObjectNode data = n.putObject("data");
    if (kv.data() instanceof io.templateworker.runtime.store.GlobalKv.Value v) {
      data.put("type", "Value");
      data.set("data", Wire.value(v.data()));
      data.put("opaque", v.opaque());
    } else {
      data.put("type", "PurchaseRequired");
      data.put("purchaseUrl", ((io.templateworker.runtime.store.GlobalKv.PurchaseRequired) kv.data()).purchaseUrl());
    }
    return n;
  }

  static io.templateworker.runtime.store.GlobalKv globalKv(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    JsonNode d = n.get("data");
    io.templateworker.runtime.store.GlobalKv.Data data = "Value".equals(d.get("type").asText())
        ? new io.templateworker.runtime.store.GlobalKv.Value(Wire.value(d.get("data")), d.get("opaque").asBoolean())
        : new io.templateworker.runtime.store.GlobalKv.PurchaseRequired(d.get("purchaseUrl").asText());
    return new io.templateworker.runtime.store.GlobalKv(partial(n.get("partial")), data);
  }
}
