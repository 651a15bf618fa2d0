package io.templateworker.devui;

import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.templateworker.api.Access;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.runtime.store.TenantId;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live panel: {@code POST /guilds/{guild_id}/live/tickets} (guild managers) gives a one-time ticket, good for
 * {@value #TICKET_SECONDS} s, that opens the WebSocket {@code /guilds/{guild_id}/live?ticket=…} of that guild — a
 * browser cannot send the {@code Authorization} header on a WebSocket, so the access check happens when the ticket
 * is issued. The socket then receives the guild's entries from the {@link LiveHub} as JSON text frames.
 */
public final class LiveRoutes implements RouteGroup {
  static final int TICKET_SECONDS = 60;
  /** Close code for a connection without a valid ticket (4000-4999 are the application's). */
  static final int CLOSE_NO_TICKET = 4401;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code POST /guilds/{guild_id}/live/tickets}. */
  public record Ticket(String ticket, int expires_in) {}

  private record Issued(TenantId guild, long expiresAtNanos) {}

  private final LiveHub hub;
  private final Map<String, Issued> tickets = new ConcurrentHashMap<>();
  private final Map<String, AutoCloseable> open = new ConcurrentHashMap<>();

  public LiveRoutes(LiveHub hub) {
    this.hub = hub;
  }

  @Override
  public String tag() {
    return "Dev UI";
  }

  @Override
  public void register(Routes routes) {
    routes.post("/guilds/{guild_id}/live/tickets")
        .summary("A one-time ticket (60 s) for the guild's live WebSocket /guilds/{guild_id}/live?ticket=…")
        .description("The WebSocket sends the guild's events as they are dispatched (with each template's result),"
            + " the lines its templates print and their errors with tracebacks, as JSON text frames"
            + " `{at, kind: event|print|error, template, event, message, traceback, results?}`.")
        .access(Access.GUILD).response(Ticket.class).handle(this::ticket);
    routes.ws("/guilds/{guild_id}/live", this::socket);
  }

  private void ticket(Context ctx) {
    TenantId guild = guild(ctx.pathParam("guild_id"));
    long now = System.nanoTime();
    tickets.values().removeIf(t -> now - t.expiresAtNanos() > 0);
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tickets.put(ticket, new Issued(guild, now + Duration.ofSeconds(TICKET_SECONDS).toNanos()));
    ctx.json(new Ticket(ticket, TICKET_SECONDS));
  }

  private void socket(WsConfig ws) {
    ws.onConnect(ctx -> {
      String raw = ctx.queryParam("ticket");
      Issued issued = raw == null ? null : tickets.remove(raw);
      TenantId guild;
      try {
        guild = guild(ctx.pathParam("guild_id"));
      } catch (ApiException e) {
        ctx.closeSession(CLOSE_NO_TICKET, e.getMessage());
        return;
      }
      if (issued == null || System.nanoTime() - issued.expiresAtNanos() > 0 || !issued.guild().equals(guild)) {
        ctx.closeSession(CLOSE_NO_TICKET, "no valid ticket: get one from POST /guilds/{guild_id}/live/tickets");
        return;
      }
      ctx.enableAutomaticPings();
      open.put(ctx.sessionId(), hub.watch(guild, text -> send(ctx, text)));
    });
    ws.onClose(ctx -> stop(ctx.sessionId()));
    ws.onError(ctx -> stop(ctx.sessionId()));
  }

  private static void send(WsContext ctx, String text) {
    if (!ctx.session.isOpen()) {
      throw new IllegalStateException("the socket is closed");
    }
    ctx.send(text);
  }

  private void stop(String sessionId) {
    AutoCloseable watch = open.remove(sessionId);
    if (watch != null) {
      try {
        watch.close();
      } catch (Exception ignored) {
        // closing a watcher does not fail
      }
    }
  }

  static TenantId guild(String raw) {
    return TenantId.guild(Snowflakes.parse(raw, "path parameter guild_id"));
  }
}
