package io.templateworker.devui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.auth.Caller;
import java.io.InputStream;
import java.util.Map;

/**
 * The page itself: {@code GET /dev} (HTML), {@code GET /dev/assets/{file}} (its script, built from
 * {@code devui/frontend} by the Maven build, and its style sheet, both inside the jar) and {@code GET /dev/session},
 * which tells the page who it is talking as and where to start.
 */
public final class DevPageRoutes implements RouteGroup {
  static final String STATIC = "io/templateworker/devui/static/";
  private static final Map<String, String> ASSETS = Map.of(
      "app.js", "text/javascript; charset=utf-8",
      "style.css", "text/css; charset=utf-8");

  private final DevUi.Options options;
  private final MockChannelRoutes mock;

  DevPageRoutes(DevUi.Options options, MockChannelRoutes mock) {
    this.options = options;
    this.mock = mock;
  }

  @Override
  public String tag() {
    return "Dev UI";
  }

  @Override
  public void register(Routes routes) {
    routes.get("/dev").summary("The dev UI: edit a guild's templates, talk to the mock Discord, watch them run")
        .response(String.class).produces("text/html").unlimited().handle(ctx -> serve(ctx, "index.html", "text/html; charset=utf-8"));
    routes.get("/dev/assets/{file}").undocumented().unlimited().handle(ctx -> {
      String file = ctx.pathParam("file");
      String type = ASSETS.get(file);
      if (type == null) {
        throw ApiException.notFound("no dev UI asset named '" + file + "'");
      }
      serve(ctx, file, type);
    });
    routes.get("/dev/session").summary("Who the dev UI acts as, and where it starts").response(ObjectNode.class)
        .handle(this::session);
  }

  private void session(Context ctx) {
    Caller caller = Caller.of(ctx);
    ObjectNode o = LiveHub.JSON.createObjectNode();
    o.put("signed_in", caller.kind() != Caller.Kind.ANONYMOUS);
    o.put("root", caller.root());
    o.put("loopback", caller.kind() == Caller.Kind.LOOPBACK_ROOT);
    o.put("user_id", caller.userId());
    o.put("mock", mock != null);
    o.put("default_guild_id", options.defaultGuildId());
    o.put("client_id", options.clientId());
    o.put("authorize_url", options.authorizeUrl());
    // A root caller (this machine in local mode) manages every guild: list the bot's guilds in the mock. Users get
    // theirs from GET /users/@me/guilds.
    if (caller.root() && mock != null) {
      o.set("guilds", mock.botGuilds());
    } else {
      o.putNull("guilds");
    }
    ctx.json(o);
  }

  private static void serve(Context ctx, String file, String type) {
    InputStream in = DevPageRoutes.class.getClassLoader().getResourceAsStream(STATIC + file);
    if (in == null) {
      throw ApiException.notFound("dev UI asset '" + file + "' is missing from the jar: rebuild with Maven (npm and"
          + " esbuild build it from devui/frontend)");
    }
    ctx.contentType(type).header("Cache-Control", "no-cache").result(in);
  }
}
