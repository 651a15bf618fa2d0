package io.templateworker.devui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The guild's mock Discord channels beside the editor (local mode): its channels and members, a channel's messages
 * with their embeds and components, posting a message as a member and running a slash command — through the mock's
 * REST and admin routes ({@code /__mock/…}), so what the page does is what a member does in Discord: the gateway
 * delivers it to the guild's templates. Guild managers only; mounted only when the service runs the mock.
 */
public final class MockChannelRoutes implements RouteGroup {
  /** Messages of a channel the page shows (the latest). */
  static final int MAX_MESSAGES = 100;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** {@code POST …/messages}: who posts what. */
  public record PostMessage(String author_id, String content) {}

  /** {@code POST …/interactions}: a slash command as the mock's admin route takes it. */
  public record RunCommand(String command, String channel_id, String user_id, JsonNode options) {}

  private final String base;
  private final String botToken;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param mockBaseUrl the mock's base URL, e.g. {@code http://127.0.0.1:60002}
   * @param botToken    the bot token the mock accepts
   */
  public MockChannelRoutes(String mockBaseUrl, String botToken) {
    this.base = mockBaseUrl.endsWith("/") ? mockBaseUrl.substring(0, mockBaseUrl.length() - 1) : mockBaseUrl;
    this.botToken = botToken;
  }

  @Override
  public String tag() {
    return "Dev UI";
  }

  @Override
  public void register(Routes routes) {
    String p = "/dev/guilds/{guild_id}/mock";
    routes.get(p + "/channels").summary("The guild's channels in the mock Discord (local mode)")
        .access(Access.GUILD).response(JsonNode.class).handle(ctx -> relay(ctx, "GET", "/api/v10/guilds/" + guild(ctx) + "/channels", null));
    routes.get(p + "/members").summary("The guild's members in the mock Discord (local mode)")
        .access(Access.GUILD).response(JsonNode.class)
        .handle(ctx -> relay(ctx, "GET", "/api/v10/guilds/" + guild(ctx) + "/members?limit=1000", null));
    routes.get(p + "/channels/{channel_id}/messages").summary("A channel's latest messages in the mock Discord, oldest first")
        .access(Access.GUILD).response(JsonNode.class).handle(this::messages);
    routes.post(p + "/channels/{channel_id}/messages").summary("Post a message in the mock Discord as a member of the guild")
        .access(Access.GUILD).request(PostMessage.class).response(JsonNode.class).handle(ctx -> {
          String channel = channelOfGuild(ctx);
          relay(ctx, "POST", "/__mock/guilds/" + guild(ctx) + "/channels/" + channel + "/messages", ctx.body());
        });
    routes.post(p + "/interactions").summary("Run a slash command in the mock Discord as a member of the guild")
        .access(Access.GUILD).request(RunCommand.class).response(JsonNode.class)
        .handle(ctx -> relay(ctx, "POST", "/__mock/guilds/" + guild(ctx) + "/interactions", ctx.body()));
  }

  private void messages(Context ctx) {
    String channel = channelOfGuild(ctx);
    JsonNode all = call("GET", "/__mock/channels/" + channel + "/messages", null);
    ArrayNode out = LiveHub.JSON.createArrayNode();
    for (int i = Math.max(0, all.size() - MAX_MESSAGES); i < all.size(); i++) {
      out.add(all.get(i));
    }
    ctx.json(out);
  }

  /** The path's channel id after checking, in the mock, that it belongs to the path's guild (404 otherwise). */
  private String channelOfGuild(Context ctx) {
    String channel = Long.toUnsignedString(Snowflakes.parse(ctx.pathParam("channel_id"), "path parameter channel_id"));
    JsonNode c = call("GET", "/api/v10/channels/" + channel, null);
    if (!guild(ctx).equals(c.path("guild_id").asText())) {
      throw ApiException.notFound("channel " + channel + " is not a channel of guild " + guild(ctx));
    }
    return channel;
  }

  private void relay(Context ctx, String method, String path, String body) {
    ctx.json(call(method, path, body));
  }

  /** One call to the mock; its refusals become ours (its 4xx as is, anything else 502). */
  private JsonNode call(String method, String path, String body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
        .header("Authorization", "Bot " + botToken)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      req.header("Content-Type", "application/json");
    }
    HttpResponse<String> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ApiException(502, ApiErrorCode.UpstreamError, "the mock Discord at " + base + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.unavailable("interrupted while calling the mock Discord");
    }
    JsonNode json;
    try {
      json = res.body().isEmpty() ? LiveHub.JSON.nullNode() : LiveHub.JSON.readTree(res.body());
    } catch (IOException e) {
      throw new ApiException(502, ApiErrorCode.UpstreamError, "the mock Discord answered " + res.statusCode() + " with a body that is not JSON");
    }
    int status = res.statusCode();
    if (status >= 200 && status < 300) {
      return json;
    }
    String message = "mock Discord: " + json.path("message").asText("HTTP " + status)
        + (json.has("errors") ? " " + json.get("errors") : "");
    throw status >= 400 && status < 500 && status != 401
        ? new ApiException(status, status == 404 ? ApiErrorCode.NotFound : ApiErrorCode.BadRequest, message)
        : new ApiException(502, ApiErrorCode.UpstreamError, message);
  }

  private static String guild(Context ctx) {
    return Long.toUnsignedString(Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id"));
  }

  /** The bot's guilds in the mock as {@code [{id, name}]} (for the page's guild picker in local mode). */
  ArrayNode botGuilds() {
    ArrayNode out = LiveHub.JSON.createArrayNode();
    for (JsonNode g : call("GET", "/api/v10/users/@me/guilds", null)) {
      out.addObject().put("id", g.path("id").asText()).put("name", g.path("name").asText());
    }
    return out;
  }
}
