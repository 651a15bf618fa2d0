package io.templateworker.api.internal;

import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.dto.PublicLuauExecute;
import io.templateworker.api.json.JsonBody;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerException;
import io.templateworker.worker.WorkerLike;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker routes of the internal API (root users only, UPSTREAM.md §4.6): {@code POST /i/dispatch-event/{guild_id}}
 * (returns the template results as a KhronosValue), {@code GET /i/threads-count}, {@code POST /i/kill-worker}
 * (stops the whole pool, as upstream; the service then restarts it) and {@code POST /i/regenerate-cache/{guild_id}}
 * (2025: the guild's VM is rebuilt, reloading its templates and state, on its next event).
 */
public final class InternalRoutes implements RouteGroup {
  /** Longest an HTTP caller waits for a dispatch; past it the events still run, the caller gets 504. */
  static final long DISPATCH_WAIT_SECONDS = 30;

  private final WorkerLike workers;

  public InternalRoutes(WorkerLike workers) {
    this.workers = workers;
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
        .error(504, "the guild's templates did not answer within " + DISPATCH_WAIT_SECONDS + " s")
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
    routes.post("/i/regenerate-cache/{guild_id}").summary("Rebuild a guild's VM on its next event (reloads templates and state)")
        .access(Access.ROOT).handle(this::regenerateCache);
  }

  private void dispatchEvent(Context ctx) throws InterruptedException {
    TenantId guild = guild(ctx);
    PublicLuauExecute body = JsonBody.read(ctx, PublicLuauExecute.class);
    CreateEvent event = new CreateEvent(body.name(), Caller.of(ctx).userId(), body.data(), List.of());
    KhronosValue result = await(workers.dispatchEvent(guild, event), guild, "event " + event.name());
    ctx.contentType("application/json").result(KhronosJson.toJson(result));
  }

  private void regenerateCache(Context ctx) throws InterruptedException {
    TenantId guild = guild(ctx);
    await(workers.dropTenant(guild), guild, "regenerating the cache");
    ctx.contentType("application/json").result("null");
  }

  static TenantId guild(Context ctx) {
    return TenantId.guild(Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id"));
  }

  /** The future's value, with worker failures as 502/503 and a slow answer as 504. */
  static <T> T await(CompletableFuture<T> future, TenantId guild, String what) throws InterruptedException {
    try {
      return future.get(DISPATCH_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause.getMessage() == null ? "the worker failed" : cause.getMessage();
      if (cause instanceof WorkerException && message.contains("stopped")) {
        throw new ApiException(503, ApiErrorCode.Unavailable, message + "; retry once /healthcheck answers 200");
      }
      throw new ApiException(502, ApiErrorCode.UpstreamError, what + " for guild " + guild.idString() + " failed: " + message);
    } catch (TimeoutException e) {
      throw new ApiException(504, ApiErrorCode.UpstreamError, "guild " + guild.idString() + " did not answer " + what
          + " within " + DISPATCH_WAIT_SECONDS + " s; its templates may still be running");
    }
  }
}
