package io.templateworker.devui;

import io.templateworker.api.RouteGroup;
import io.templateworker.runtime.store.KvStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The dev UI at {@code /dev}: what {@code app} mounts. Build a {@link LiveHub} in front of the service's reporter
 * (pass the hub to the worker pool), then add {@link #routes} to the API.
 */
public final class DevUi {

  /**
   * @param defaultGuildId the guild the page opens on (the demo guild in local mode), or null
   * @param clientId       {@code discord_auth.client_id} for the OAuth2 sign-in, or null
   * @param authorizeUrl   Discord's OAuth2 authorize page
   * @param mockBaseUrl    the in-process mock Discord's base URL (local mode), or null
   * @param mockBotToken   the bot token the mock accepts, or null
   */
  public record Options(String defaultGuildId, String clientId, String authorizeUrl, String mockBaseUrl,
                        String mockBotToken) {}

  /** Discord's OAuth2 authorize page. */
  public static final String DISCORD_AUTHORIZE = "https://discord.com/oauth2/authorize";

  private DevUi() {
  }

  /** The page, its session route, the live panel, the KV browser and (with a mock) the mock channel routes. */
  public static List<RouteGroup> routes(Options options, LiveHub live, KvStore kv) {
    MockChannelRoutes mock = options.mockBaseUrl() == null ? null : new MockChannelRoutes(options.mockBaseUrl(), options.mockBotToken());
    List<RouteGroup> out = new ArrayList<>();
    out.add(new DevPageRoutes(options, mock));
    out.add(new LiveRoutes(live));
    out.add(new KvRoutes(kv));
    if (mock != null) {
      out.add(mock);
    }
    return out;
  }
}
