package io.templateworker.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.javalin.http.Context;
import io.swagger.v3.oas.annotations.media.Schema;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.api.auth.Caller;
import io.templateworker.api.discord.DiscordOAuth;
import io.templateworker.api.discord.DiscordOAuth.DiscordOAuthException;
import io.templateworker.api.discord.DiscordOAuth.TokenResponse;
import io.templateworker.api.discord.DiscordOAuth.UserGuild;
import io.templateworker.api.guilds.GuildDirectory;
import io.templateworker.api.json.JsonBody;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.account.User;
import io.templateworker.runtime.discord.ChannelInfo;
import io.templateworker.runtime.discord.GuildInfo;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.discord.MemberInfo;
import io.templateworker.runtime.discord.PermissionCalculator;
import io.templateworker.runtime.discord.RoleInfo;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code GET /users/@me/guilds} and {@code GET /users/@me/guilds/{guild_id}} (UPSTREAM.md §4.5 (b), (c)). The guild
 * list comes from Discord with the user's OAuth2 token, refreshed with the stored refresh token when it expired
 * (upstream could not, gap 27), for every session type (upstream: login sessions only); it is cached in
 * {@code users.guilds_cache}. Guild information and effective channel permissions of the user and the bot come
 * from the guild state.
 */
public final class UserGuildRoutes implements RouteGroup {

    private final AccountStore accounts;
    private final DiscordOAuth discord;
    private final GuildDirectory directory;
    private final GuildState guildState;
    private final LongSupplier botId;
    private final ApiRateLimiter limiter;
    private final InstantSource clock;

    /**
     * @param discord    Discord's OAuth2 endpoints, or null when not configured (then a refresh is 503)
     * @param guildState the guild state, or null when there is none (then the bot is in no guild: 404)
     * @param botId      the bot's user id (0 when unknown)
     */
    public UserGuildRoutes(AccountStore accounts, DiscordOAuth discord, GuildDirectory directory, GuildState guildState,
                           LongSupplier botId, ApiRateLimiter limiter, InstantSource clock) {
        this.accounts = accounts;
        this.discord = discord;
        this.directory = directory;
        this.guildState = guildState;
        this.botId = botId;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** One of the user's guilds. */
    public record DashboardGuild(String id, String name, @Schema(description = "Icon hash, or null") String icon,
                                 @Schema(description = "The user's permissions in the guild (bitfield as a string)") String permissions,
                                 @Schema(description = "Whether the user owns the guild") boolean owner) {
    }

    /** {@code GET /users/@me/guilds}. */
    public record DashboardGuildData(List<DashboardGuild> guilds,
                                     @JsonProperty("bot_in_guilds") @Schema(description = "Ids of the guilds the bot is in")
                                     List<String> botInGuilds) {
    }

    /** A role in {@code BaseGuildUserInfo}. */
    public record ApiPartialRole(String id, String name, int position,
                                 @Schema(description = "Bitfield as a string") String permissions) {
    }

    /** A channel in {@code BaseGuildUserInfo}. */
    public record ApiPartialGuildChannel(String id, String name, int position,
                                         @JsonProperty("parent_id") String parentId, int type) {
    }

    /** A channel with the user's and the bot's effective permissions there (bitfields as strings). */
    public record GuildChannelWithPermissions(String user, String bot, ApiPartialGuildChannel channel) {
    }

    /** {@code GET /users/@me/guilds/{guild_id}}. */
    public record BaseGuildUserInfo(@JsonProperty("owner_id") String ownerId, String name,
                                    @Schema(description = "Full icon URL, or null") String icon,
                                    List<ApiPartialRole> roles, @JsonProperty("user_roles") List<String> userRoles,
                                    @JsonProperty("bot_roles") List<String> botRoles,
                                    List<GuildChannelWithPermissions> channels) {
    }

    @Override
    public String tag() {
        return "Users";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/users/@me/guilds").summary("The caller's Discord guilds and which of them have the bot")
                .description("From the cache of the last fetch unless `refresh=true` (or nothing is cached); a fetch uses"
                        + " the caller's Discord OAuth2 token, refreshed when it expired. Any session type works.")
                .access(Access.USER).queryParam("refresh", Boolean.class, false, "Fetch from Discord instead of the cache")
                .response(DashboardGuildData.class)
                .error(400, "no Discord login is stored for this user (log in through POST /oauth2), or refresh is not a boolean")
                .error(401, "the stored Discord token was revoked: log in again")
                .error(429, "more than 3 refreshes per 5 s")
                .error(502, "Discord could not be reached")
                .handle(this::guilds);
        routes.get("/users/@me/guilds/{guild_id}").summary("A guild's roles and channels with the caller's and the bot's permissions")
                .access(Access.USER).response(BaseGuildUserInfo.class)
                .error(404, "the bot is not in the guild, or the caller or the bot is not a member")
                .error(429, "more than 2 requests per 5 s")
                .error(502, "Discord could not be reached")
                .handle(this::guildInfo);
    }

    private void guilds(Context ctx) {
        String userId = Caller.of(ctx).requireSession().userId();
        String raw = ctx.queryParam("refresh");
        boolean refresh;
        if (raw == null || raw.isEmpty() || raw.equals("false")) {
            refresh = false;
        } else if (raw.equals("true")) {
            refresh = true;
        } else {
            throw ApiException.badRequest("query parameter refresh must be true or false, got '" + shorten(raw) + "'");
        }
        User user = accounts.user(userId);
        List<UserGuild> guilds = null;
        if (!refresh && user != null && user.guildsCache() != null) {
            guilds = cached(user.guildsCache());
        }
        if (guilds == null) {
            limiter.check(Caller.of(ctx), ApiRateLimiter.GUILD_LIST_REFRESH);
            guilds = fetch(userId, user);
        }
        List<DashboardGuild> out = new ArrayList<>(guilds.size());
        List<String> withBot = new ArrayList<>();
        for (UserGuild g : guilds) {
            out.add(new DashboardGuild(g.id(), g.name(), g.icon(), g.permissions() == null ? "0" : g.permissions(), g.owner()));
            if (Snowflakes.isValid(g.id()) && directory.hasBot(Long.parseUnsignedLong(g.id()))) {
                withBot.add(g.id());
            }
        }
        ctx.json(new DashboardGuildData(out, withBot));
    }

    private List<UserGuild> fetch(String userId, User user) {
        if (user == null || user.accessToken() == null) {
            throw ApiException.badRequest("no Discord login is stored for user " + userId
                    + ": log in through POST /oauth2 to let the API read your guilds");
        }
        if (discord == null) {
            throw ApiException.unavailable("Discord is not configured on this server (meta.proxy)");
        }
        String access = user.accessToken();
        boolean expired = user.accessTokenExpiresAt() != null && !user.accessTokenExpiresAt().isAfter(clock.instant());
        try {
            if (expired && user.refreshToken() != null) {
                access = refreshTokens(userId, user.refreshToken());
            }
            List<UserGuild> guilds;
            try {
                guilds = discord.currentUserGuilds(access);
            } catch (DiscordOAuthException e) {
                if (e.status() != 401 || user.refreshToken() == null || expired) {
                    throw e;
                }
                guilds = discord.currentUserGuilds(refreshTokens(userId, user.refreshToken()));
            }
            accounts.saveGuildsCache(userId, JsonBody.MAPPER.writeValueAsString(guilds));
            return guilds;
        } catch (DiscordOAuthException e) {
            if (e.refused()) {
                throw new ApiException(401, ApiErrorCode.InvalidToken, "Discord refused the stored login of user " + userId
                        + " (" + e.getMessage() + "): log in again through POST /oauth2");
            }
            throw new ApiException(e.status() == 503 ? 503 : 502, ApiErrorCode.UpstreamError, e.getMessage());
        } catch (IOException e) {
            throw new IllegalStateException("could not write the guild list as JSON", e);
        }
    }

    private String refreshTokens(String userId, String refreshToken) {
        TokenResponse token = discord.refresh(refreshToken);
        Instant expiry = token.expiresIn() == null ? null : clock.instant().plusSeconds(token.expiresIn());
        accounts.saveDiscordTokens(userId, token.accessToken(),
                token.refreshToken() != null ? token.refreshToken() : refreshToken, expiry);
        return token.accessToken();
    }

    private static List<UserGuild> cached(String json) {
        try {
            return JsonBody.MAPPER.readValue(json, new TypeReference<List<UserGuild>>() { });
        } catch (IOException e) {
            return null; // an unreadable cache is fetched again
        }
    }

    private void guildInfo(Context ctx) {
        Caller caller = Caller.of(ctx);
        String userId = caller.requireSession().userId();
        long guildId = Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id");
        limiter.check(caller, ApiRateLimiter.GUILD_INFO);
        // Without guild state (no Discord configured) the bot is in no guild, as for the other guild checks.
        GuildInfo guild = guildState == null ? null : guildState.guild(guildId);
        if (guild == null) {
            throw ApiException.notFound("the bot is not in guild " + Long.toUnsignedString(guildId));
        }
        MemberInfo user = guildState.member(guildId, Long.parseUnsignedLong(userId));
        if (user == null) {
            throw ApiException.notFound("User not found in server");
        }
        MemberInfo bot = guildState.member(guildId, botId.getAsLong());
        if (bot == null) {
            throw ApiException.notFound("Bot user not found");
        }
        Instant now = clock.instant();
        List<ApiPartialRole> roles = new ArrayList<>();
        guild.roles().values().stream().sorted(Comparator.comparingInt(RoleInfo::position).reversed()
                .thenComparingLong(RoleInfo::id)).forEach(r -> roles.add(new ApiPartialRole(Long.toUnsignedString(r.id()),
                r.name(), r.position(), Long.toUnsignedString(r.permissions()))));
        List<ChannelInfo> channels = guildState.channels(guildId);
        Map<Long, ChannelInfo> byId = new java.util.HashMap<>();
        for (ChannelInfo c : channels) {
            byId.put(c.id(), c);
        }
        List<GuildChannelWithPermissions> out = new ArrayList<>(channels.size());
        for (ChannelInfo c : channels) {
            ChannelInfo overwritesOf = c.isThread() && byId.containsKey(c.parentId()) ? byId.get(c.parentId()) : c;
            long userPerms = PermissionCalculator.inChannel(guild, overwritesOf, user, now);
            long botPerms = PermissionCalculator.inChannel(guild, overwritesOf, bot, now);
            int position = c.raw() == null ? 0 : c.raw().path("position").asInt(0);
            out.add(new GuildChannelWithPermissions(Long.toUnsignedString(userPerms), Long.toUnsignedString(botPerms),
                    new ApiPartialGuildChannel(Long.toUnsignedString(c.id()), c.name(), position,
                            c.parentId() == 0 ? null : Long.toUnsignedString(c.parentId()), c.type())));
        }
        String iconHash = guild.raw() == null ? null : guild.raw().path("icon").isTextual() ? guild.raw().get("icon").asText() : null;
        String icon = iconHash == null ? null : "https://cdn.discordapp.com/icons/" + Long.toUnsignedString(guild.id()) + "/"
                + iconHash + (iconHash.startsWith("a_") ? ".gif" : ".png");
        ctx.json(new BaseGuildUserInfo(Long.toUnsignedString(guild.ownerId()), guild.name(), icon, roles, ids(user.roles()),
                ids(bot.roles()), out));
    }

    private static List<String> ids(List<Long> ids) {
        List<String> out = new ArrayList<>(ids.size());
        for (long id : ids) {
            out.add(Long.toUnsignedString(id));
        }
        return out;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
