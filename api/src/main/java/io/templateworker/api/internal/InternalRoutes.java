package io.templateworker.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /i/dispatch-event/{guild_id}} (body {@code {name, data}}, data a KhronosValue; returns the
 * template results as a KhronosValue), {@code GET /i/threads-count} and {@code POST /i/kill-worker} (stops the
 * whole pool, as upstream).
 */
public final class InternalRoutes implements RouteGroup {
  /** Longest an HTTP caller waits for a dispatch; past it the events still run, the caller gets 504. */
  static final long DISPATCH_WAIT_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The request body of dispatch-event, for the docs ({@code data} is a tagged KhronosValue). */
  public record DispatchEventBody(String name, Object data) {}

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
        .access(Access.ROOT).request(DispatchEventBody.class).response(Object.class).handle(this::dispatchEvent);
    routes.get("/i/threads-count").summary("Number of workers in the pool")
        .access(Access.ROOT).response(Integer.class).handle(ctx -> {
          requireLoopback(ctx);
          ctx.json(workers.len());
        });
    routes.post("/i/kill-worker").summary("Stop every worker of the pool (templates stop running)")
        .access(Access.ROOT).handle(ctx -> {
          requireLoopback(ctx);
          workers.kill();
          ctx.contentType("application/json").result("null");
        });
  }

  private void dispatchEvent(Context ctx) throws InterruptedException {
    requireLoopback(ctx);
    TenantId guild = guild(ctx.pathParam("guild_id"));
    CreateEvent event = event(ctx.body());
    KhronosValue result;
    try {
      result = workers.dispatchEvent(guild, event).get(DISPATCH_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new ApiException(500, ApiErrorCode.InternalError, e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new ApiException(504, ApiErrorCode.InternalError, "guild " + guild.id() + " did not answer event "
          + event.name() + " within " + DISPATCH_WAIT_SECONDS + " s; its templates may still be running");
    }
    ctx.contentType("application/json").result(KhronosJson.toJson(result));
  }

  private static TenantId guild(String raw) {
    try {
      return TenantId.guild(Long.parseLong(raw));
    } catch (NumberFormatException | StoreException e) {
      throw ApiException.badRequest("guild_id must be a positive decimal snowflake, got '" + raw + "'");
    }
  }

  private static CreateEvent event(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw ApiException.badRequest("body must be JSON {\"name\": \"...\", \"data\": <KhronosValue>}: " + e.getMessage());
    }
    if (root == null || !root.path("name").isTextual() || root.path("name").asText().isEmpty()) {
      throw ApiException.badRequest("body needs a non-empty string \"name\" (the event name)");
    }
    KhronosValue data;
    try {
      JsonNode d = root.get("data");
      data = d == null || d.isNull() ? KhronosValue.Null.INSTANCE : KhronosJson.fromJson(d.toString());
    } catch (KhronosException e) {
      throw ApiException.badRequest("\"data\" must be a tagged KhronosValue such as {\"Text\": \"hi\"}: " + e.getMessage());
    }
    return CreateEvent.of(root.get("name").asText(), data);
  }

  /** Until the auth layer guards {@link Access#ROOT} routes, only callers on this machine may use them. */
  private static void requireLoopback(Context ctx) {
    try {
      if (InetAddress.getByName(ctx.req().getRemoteAddr()).isLoopbackAddress()) {
        return;
      }
    } catch (UnknownHostException e) {
      // Not an address we can vouch for: refuse below.
    }
    throw new ApiException(403, ApiErrorCode.Restricted, "internal routes are only served to loopback callers for now");
  }
}
