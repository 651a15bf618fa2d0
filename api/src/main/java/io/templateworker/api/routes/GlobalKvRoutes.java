package io.templateworker.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.javalin.http.Context;
import io.swagger.v3.oas.annotations.media.Schema;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.GlobalKv;
import io.templateworker.runtime.store.GlobalKvStore;
import io.templateworker.runtime.store.PartialGlobalKv;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /global-kvs?scope=&query=} and {@code GET /global-kvs/{scope}/{key}/{version}} (UPSTREAM.md §4.5, §5.4):
 * approved entries only; data that must not leave the service (priced, or not public) is replaced by null.
 */
public final class GlobalKvRoutes implements RouteGroup {

    private final GlobalKvStore store;

    public GlobalKvRoutes(GlobalKvStore store) {
        this.store = store;
    }

    /** A listing without its data ({@code PartialGlobalKv}). */
    public record PartialGlobalKvView(
            String key, int version, @JsonProperty("owner_id") String ownerId, @JsonProperty("owner_type") String ownerType,
            @Schema(description = "Price, for staff entries that are sold; null when free") Integer price,
            @JsonProperty("short") String shortDescription,
            @JsonProperty("public_metadata") KhronosValue publicMetadata, String scope,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("last_updated_at") Instant lastUpdatedAt,
            @JsonProperty("public_data") boolean publicData, @JsonProperty("review_state") String reviewState,
            @JsonProperty("long") @Schema(description = "Long description; not filled in listings") String longDescription) {

        static PartialGlobalKvView of(PartialGlobalKv p) {
            return new PartialGlobalKvView(p.key(), p.version(), p.ownerId(), p.ownerType(), p.price(), p.shortDescription(),
                    p.publicMetadata(), p.scope(), p.createdAt(), p.lastUpdatedAt(), p.publicData(),
                    p.reviewState().sqlName(), p.longDescription());
        }
    }

    /** {@code GET /global-kvs}. */
    public record PartialGlobalKvList(List<PartialGlobalKvView> items) {
    }

    /** The data part of an entry: its value, or where to buy it. */
    public record GlobalKvData(
            @Schema(description = "Value or PurchaseRequired", example = "Value") String type,
            @Schema(description = "The value; null when it is opaque (priced or not public)") KhronosValue data,
            @Schema(description = "Whether the value is withheld from the public API") Boolean opaque,
            @JsonProperty("purchase_url") @Schema(description = "Where to buy a priced entry") String purchaseUrl) {
    }

    /** {@code GET /global-kvs/{scope}/{key}/{version}}. */
    public record GlobalKvView(PartialGlobalKvView partial, GlobalKvData data) {
    }

    @Override
    public String tag() {
        return "Global KV";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/global-kvs").summary("Approved global KV entries of a scope")
                .queryParam("scope", String.class, true, "The scope to list, e.g. templates")
                .queryParam("query", String.class, false, "A LIKE pattern on the key (% any run, _ one character); default %")
                .response(PartialGlobalKvList.class).error(400, "scope is missing, or the query is too long")
                .handle(this::list);
        routes.get("/global-kvs/{scope}/{key}/{version}").summary("One approved global KV entry (opaque data is null)")
                .response(GlobalKvView.class).error(400, "version is not an integer")
                .error(404, "no approved entry with this scope, key and version").handle(this::get);
    }

    private void list(Context ctx) {
        String scope = ctx.queryParam("scope");
        if (scope == null || scope.isEmpty()) {
            throw ApiException.badRequest("query parameter scope is required, e.g. /global-kvs?scope=templates");
        }
        String query = ctx.queryParam("query");
        // Upstream's default is "%": every key. The store's fast path for "everything" is "%%".
        String pattern = query == null || query.isEmpty() || query.equals("%") ? "%%" : query;
        List<PartialGlobalKvView> items = new ArrayList<>();
        for (PartialGlobalKv p : store.find(scope, pattern)) {
            items.add(PartialGlobalKvView.of(p));
        }
        ctx.json(new PartialGlobalKvList(items));
    }

    private void get(Context ctx) {
        String scope = ctx.pathParam("scope");
        String key = ctx.pathParam("key");
        String rawVersion = ctx.pathParam("version");
        int version;
        try {
            version = Integer.parseInt(rawVersion);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("path parameter version must be an integer, got '"
                    + (rawVersion.length() > 40 ? rawVersion.substring(0, 40) + "…" : rawVersion) + "'");
        }
        GlobalKv entry = store.get(key, version, scope, null);
        if (entry == null) {
            throw ApiException.notFound("no approved global KV entry " + key + " version " + version + " in scope " + scope);
        }
        GlobalKvData data = switch (entry.data()) {
            case GlobalKv.Value v -> new GlobalKvData("Value", v.opaque() ? null : v.data(), v.opaque(), null);
            case GlobalKv.PurchaseRequired p -> new GlobalKvData("PurchaseRequired", null, null, p.purchaseUrl());
        };
        ctx.json(new GlobalKvView(PartialGlobalKvView.of(entry.partial()), data));
    }
}
