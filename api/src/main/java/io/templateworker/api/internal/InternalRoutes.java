package io.templateworker.api.internal;

import io.javalin.http.Context;
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
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import java.util.List;

/**
 * The worker routes of the internal API (root users only, UPSTREAM.md §4.6): {@code POST /i/dispatch-event/{guild_id}}
 * (returns the template results as a KhronosValue), {@code GET /i/threads-count}, {@code POST /i/kill-worker}
 * (stops the whole pool, as upstream; the service then restarts it) and {@code POST /i/regenerate-cache/{guild_id}}
 * (2025: the guild's VM is rebuilt, reloading its templates and state, on its next event), and
 * {@code POST /i/guilds-exist} (whether the bot is in each guild).
 */
public final class InternalRoutes implements RouteGroup {

  /** Most guild ids one {@code /i/guilds-exist} call may ask about. */
  static final int MAX_GUILDS_EXIST = 100_000;

  private final WorkerLike workers;
  private final GuildDirectory guilds;

  /** Without guild state: {@code /i/guilds-exist} answers 0 for every guild. */
  public InternalRoutes(WorkerLike workers) {
    this(workers, GuildDirectory.NONE);
  }

  public InternalRoutes(WorkerLike workers, GuildDirectory guilds) {
    this.workers = workers;
    this.guilds = guilds;
  }

  @Override
  public String tag() {
    return "Internal";
  }

  @Override
  public void register(Routes routes) {
    routes.post("/i/dispatch-event/{guild_id}").summary("Dispatch an event to a guild's templates and return their results")
        .description("No `Web` prefix rule and no bot-in-guild check; the event's author is the caller's user id."
            + " Answers 200 with the results (upstream documented 204 but answered 200 too): a List of"
            + " `{type: ok|err, id, value}` maps, or `Null` when the guild's event filter does not admit the event.")
        .access(Access.ROOT).request(PublicLuauExecute.class).response(KhronosValue.class)
        .error(502, "the worker failed to run the event (its message says why)")
        .error(504, "the guild's templates did not answer within " + WorkerCalls.WAIT_SECONDS + " s")
        .handle(this::dispatchEvent);
    routes.get("/i/threads-count").summary("Number of workers in the pool")
        .access(Access.ROOT).response(Integer.class).handle(ctx -> ctx.json(workers.len()));
    routes.post("/i/kill-worker").summary("Stop every worker of the pool")
        .description("As upstream, the entire pool is killed (running templates stop). The service then starts a new"
            + " pool; until it is up, `/healthcheck` answers 503 and dispatches fail.")
        .access(Access.ROOT).handle(ctx -> {
          workers.kill();
          ctx.contentType("application/json").result("null");
        });
    routes.post("/i/guilds-exist").summary("Whether the bot is in each guild: 1 or 0 per id, in order")
        .request(new com.fasterxml.jackson.core.type.TypeReference<List<String>>() { }.getType())
        .response(new com.fasterxml.jackson.core.type.TypeReference<List<Integer>>() { }.getType())
        .access(Access.ROOT).handle(this::guildsExist);
    routes.post("/i/regenerate-cache/{guild_id}").summary("Rebuild a guild's VM on its next event (reloads templates and state)")
        .access(Access.ROOT).handle(this::regenerateCache);
  }

  private void dispatchEvent(Context ctx) throws InterruptedException {
    TenantId guild = guild(ctx);
    PublicLuauExecute body = JsonBody.read(ctx, PublicLuauExecute.class);
    CreateEvent event = new CreateEvent(body.name(), Caller.of(ctx).userId(), body.data(), List.of());
    KhronosValue result = WorkerCalls.await(workers.dispatchEvent(guild, event), guild, "event " + event.name());
    ctx.contentType("application/json").result(KhronosJson.toJson(result));
  }

  private void regenerateCache(Context ctx) throws InterruptedException {
    TenantId guild = guild(ctx);
    WorkerCalls.await(workers.dropTenant(guild), guild, "regenerating the cache");
    ctx.contentType("application/json").result("null");
  }

  private void guildsExist(Context ctx) {
    com.fasterxml.jackson.databind.JsonNode body = JsonBody.readTree(ctx);
    if (!body.isArray()) {
      throw ApiException.badRequest("request body must be a JSON array of guild ids, e.g. [\"1064135068928454766\"]");
    }
    if (body.size() > MAX_GUILDS_EXIST) {
      throw ApiException.badRequest("at most " + MAX_GUILDS_EXIST + " guild ids per call, got " + body.size());
    }
    int[] out = new int[body.size()];
    for (int i = 0; i < out.length; i++) {
      com.fasterxml.jackson.databind.JsonNode id = body.get(i);
      // Upstream's ids deserialise from strings and from numbers alike.
      String raw = id.isTextual() ? id.textValue() : id.isIntegralNumber() ? id.bigIntegerValue().toString() : null;
      if (raw == null) {
        throw ApiException.badRequest("request body at $[" + i + "]: expected a guild id (string or integer)");
      }
      out[i] = guilds.hasBot(Snowflakes.parse(raw, "request body at $[" + i + "]")) ? 1 : 0;
    }
    ctx.json(out);
  }

  static TenantId guild(Context ctx) {
    return TenantId.guild(Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id"));
  }
}
