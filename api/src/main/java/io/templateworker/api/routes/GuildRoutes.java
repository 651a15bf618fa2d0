package io.templateworker.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.swagger.v3.oas.annotations.media.Schema;
import io.templateworker.api.Access;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.api.WorkerCalls;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.dto.PublicLuauExecute;
import io.templateworker.api.guilds.GuildDirectory;
import io.templateworker.api.json.JsonBody;
import io.templateworker.api.json.PlainJson;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import java.util.List;
import java.util.Map;

/**
 * Dispatch from the dashboard (UPSTREAM.md §4.5 (a), §4.8): {@code POST /guilds/{guild_id}/events} (and GET with a
 * body, for old clients) runs a {@code Web…} event authored by the caller; {@code GET/POST /guilds/{guild_id}/settings}
 * run the 2025 {@code GetSettings} / {@code ExecuteSetting} events and return each template's answer. All need the
 * bot in the guild (404 otherwise).
 */
public final class GuildRoutes implements RouteGroup {

    private final WorkerLike workers;
    private final GuildDirectory guilds;

    public GuildRoutes(WorkerLike workers, GuildDirectory guilds) {
        this.workers = workers;
        this.guilds = guilds;
    }

    /** {@code POST /guilds/{guild_id}/settings}. */
    public record SettingsOperationRequest(
            @Schema(description = "The operation's fields (any JSON)") JsonNode fields,
            @JsonProperty(value = "operation", required = true) @Schema(example = "View") String operation,
            @JsonProperty(value = "setting", required = true) @Schema(example = "guildroles") String setting) {

        public SettingsOperationRequest {
            if (operation == null || operation.isEmpty() || setting == null || setting.isEmpty()) {
                throw new IllegalArgumentException("'operation' and 'setting' must be non-empty strings");
            }
        }
    }

    /** One template's answer: exactly one of {@code Ok} and {@code Err}. */
    public record TemplateAnswer(@JsonProperty("Ok") @Schema(description = "The template's result (JSON)") JsonNode ok,
                                 @JsonProperty("Err") @Schema(description = "The template's error") String err) {
    }

    @Override
    public String tag() {
        return "Guilds";
    }

    @Override
    public void register(Routes routes) {
        String eventsDoc = "The event `name` must start with `Web` (403 Restricted otherwise); its author is the caller."
                + " Answers the dispatch result: a List of `{type: ok|err, id, value}` maps, one per template, or `Null`"
                + " when the guild's event filter does not admit the event.";
        routes.post("/guilds/{guild_id}/events").summary("Dispatch a Web event to the guild's templates")
                .description(eventsDoc).access(Access.USER).request(PublicLuauExecute.class).response(KhronosValue.class)
                .error(403, "the event name does not start with Web (Restricted)").error(404, "the bot is not in this guild")
                .error(502, "the worker failed to run the event").error(504, "the templates did not answer in time")
                .handle(this::event);
        routes.get("/guilds/{guild_id}/events").summary("Deprecated: POST this instead (GET with a JSON body, for old clients)")
                .description(eventsDoc + " Upstream registered this route as GET with a body until 2026-03.")
                .access(Access.USER).request(PublicLuauExecute.class).response(KhronosValue.class)
                .error(403, "the event name does not start with Web (Restricted)").error(404, "the bot is not in this guild")
                .handle(this::event);
        routes.get("/guilds/{guild_id}/settings").summary("Every template's settings (2025 settings API)")
                .description("Dispatches `GetSettings` with `{author}`; answers template name → `{Ok: [Setting]}` or `{Err}`.")
                .access(Access.USER).response(mapOf()).error(404, "the bot is not in this guild").handle(this::getSettings);
        routes.post("/guilds/{guild_id}/settings").summary("Run a setting operation (2025 settings API)")
                .description("Dispatches the scoped event `ExecuteSetting[setting]` with `{id: setting, author, op: operation,"
                        + " fields}`; answers template name → `{Ok: <JSON>}` or `{Err}`.")
                .access(Access.USER).request(SettingsOperationRequest.class).response(mapOf())
                .error(404, "the bot is not in this guild").handle(this::executeSetting);
    }

    private static java.lang.reflect.Type mapOf() {
        return new com.fasterxml.jackson.core.type.TypeReference<Map<String, TemplateAnswer>>() { }.getType();
    }

    private void event(Context ctx) throws InterruptedException {
        TenantId guild = guildWithBot(ctx);
        PublicLuauExecute body = JsonBody.read(ctx, PublicLuauExecute.class);
        if (!body.name().startsWith("Web")) {
            throw ApiException.forbidden("event name '" + body.name() + "' must start with 'Web': only Web events may be"
                    + " sent from the API");
        }
        CreateEvent event = new CreateEvent(body.name(), Caller.of(ctx).userId(), body.data(), List.of());
        KhronosValue result = WorkerCalls.await(workers.dispatchEvent(guild, event), guild,
                "event " + event.name());
        ctx.contentType("application/json").result(KhronosJson.toJson(result));
    }

    private void getSettings(Context ctx) throws InterruptedException {
        TenantId guild = guildWithBot(ctx);
        String author = Caller.of(ctx).userId();
        KhronosValue data = new KhronosValue.MapValue(List.of(new KhronosValue.Entry(new KhronosValue.Text("author"),
                new KhronosValue.Text(author))));
        CreateEvent event = new CreateEvent("GetSettings", author, data, List.of());
        ctx.json(answers(WorkerCalls.await(workers.dispatchEvent(guild, event), guild,
                "GetSettings")));
    }

    private void executeSetting(Context ctx) throws InterruptedException {
        TenantId guild = guildWithBot(ctx);
        SettingsOperationRequest body = JsonBody.read(ctx, SettingsOperationRequest.class);
        String author = Caller.of(ctx).userId();
        KhronosValue data = new KhronosValue.MapValue(List.of(
                new KhronosValue.Entry(new KhronosValue.Text("id"), new KhronosValue.Text(body.setting())),
                new KhronosValue.Entry(new KhronosValue.Text("author"), new KhronosValue.Text(author)),
                new KhronosValue.Entry(new KhronosValue.Text("op"), new KhronosValue.Text(body.operation())),
                new KhronosValue.Entry(new KhronosValue.Text("fields"), PlainJson.toKhronos(body.fields(), "request body at $.fields"))));
        CreateEvent event = new CreateEvent("ExecuteSetting", author, data, List.of(body.setting()));
        ctx.json(answers(WorkerCalls.await(workers.dispatchEvent(guild, event), guild,
                "ExecuteSetting")));
    }

    private TenantId guildWithBot(Context ctx) {
        long id = Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id");
        if (!guilds.hasBot(id)) {
            throw ApiException.notFound("the bot is not in guild " + Long.toUnsignedString(id)
                    + ": invite it first (or wait for its guild state to arrive)");
        }
        return TenantId.guild(id);
    }

    /** Dispatch results ({@code [{type, id, value}]}) as template id → {@code {Ok}} / {@code {Err}}. */
    static ObjectNode answers(KhronosValue results) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (!(results instanceof KhronosValue.ListValue list)) {
            return out;
        }
        for (KhronosValue item : list.items()) {
            if (!(item instanceof KhronosValue.MapValue m)) {
                continue;
            }
            String id = m.get("id") instanceof KhronosValue.Text t ? t.value() : "?";
            KhronosValue value = m.get("value");
            ObjectNode answer = JsonNodeFactory.instance.objectNode();
            if (m.get("type") instanceof KhronosValue.Text t && t.value().equals("ok")) {
                answer.set("Ok", PlainJson.toJson(value == null ? KhronosValue.Null.INSTANCE : value));
            } else {
                answer.put("Err", value instanceof KhronosValue.Text t ? t.value() : PlainJson.toJson(
                        value == null ? KhronosValue.Null.INSTANCE : value).toString());
            }
            out.set(id, answer);
        }
        return out;
    }
}
