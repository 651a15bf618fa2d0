package io.templateworker.devui;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.json.JsonBody;
import io.templateworker.api.json.PlainJson;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KV browser's route: {@code GET /guilds/{guild_id}/kv} lists the guild's scopes and its records (all, or those
 * in one scope) with their values as plain JSON and their expiry — what the guild's templates stored with
 * {@code ctx.KV}. Guild managers only.
 */
public final class KvRoutes implements RouteGroup {
  /** Most records one answer lists. */
  static final int MAX_RECORDS = 500;

  /** One record; times are RFC 3339, {@code expires_at} null when the key does not expire. */
  public record KvEntry(String id, String key, List<String> scopes, JsonNode value, String created_at,
                        String last_updated_at, String expires_at, boolean resume) {}

  /** {@code GET /guilds/{guild_id}/kv}. */
  public record KvListing(List<String> scopes, List<KvEntry> records, boolean truncated) {}

  private final KvStore kv;

  public KvRoutes(KvStore kv) {
    this.kv = kv;
  }

  @Override
  public String tag() {
    return "Dev UI";
  }

  @Override
  public void register(Routes routes) {
    routes.get("/guilds/{guild_id}/kv").summary("A guild's KV scopes and records (values, expiry), for the KV browser")
        .access(Access.GUILD).response(KvListing.class)
        .queryParam("scope", String.class, false, "only the records in this scope")
        .handle(this::list);
  }

  private void list(Context ctx) {
    TenantId guild = LiveRoutes.guild(ctx.pathParam("guild_id"));
    String scope = ctx.queryParam("scope");
    if (scope != null && scope.isBlank()) {
      scope = null;
    }
    if (scope != null && scope.length() > 512) {
      throw ApiException.badRequest("scope: at most 512 characters");
    }
    List<String> scopes = kv.listScopes(guild);
    // The store refuses unscoped finds, so "all" is every scope's records, each record once.
    Map<String, KvRecord> byId = new LinkedHashMap<>();
    for (String s : scope == null ? scopes : List.of(scope)) {
      for (KvRecord r : kv.find(guild, List.of(s), "%%")) {
        byId.putIfAbsent(r.id(), r);
      }
    }
    List<KvRecord> found = new ArrayList<>(byId.values());
    found.sort(Comparator.comparing(KvRecord::key).thenComparing(KvRecord::id));
    List<KvEntry> out = new ArrayList<>();
    for (KvRecord r : found) {
      if (out.size() == MAX_RECORDS) {
        break;
      }
      out.add(new KvEntry(r.id(), r.key(), r.scopes(), value(r), String.valueOf(r.createdAt()),
          String.valueOf(r.lastUpdatedAt()), r.expiresAt() == null ? null : r.expiresAt().toString(), r.resume()));
    }
    ctx.json(new KvListing(scopes, out, found.size() > out.size()));
  }

  /** The value as plain JSON; a typed value plain JSON cannot hold is shown in its tagged wire form. */
  private static JsonNode value(KvRecord r) {
    try {
      return PlainJson.toJson(r.value());
    } catch (RuntimeException e) {
      return JsonBody.MAPPER.valueToTree(r.value());
    }
  }
}
