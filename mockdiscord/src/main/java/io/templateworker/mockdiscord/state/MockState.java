package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Everything the mock Discord knows. All reads and writes go through {@link #locked}, so a request sees and changes a
 * consistent state; events raised while the lock is held reach listeners in order ({@link MockEventListener}).
 */
public final class MockState {

    /** Discord's epoch (2015-01-01T00:00:00Z) in epoch milliseconds. */
    public static final long DISCORD_EPOCH = 1420070400000L;

    private final ReentrantLock lock = new ReentrantLock();
    private final InstantSource clock;
    private final AtomicLong lastId = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final List<MockEventListener> listeners = new CopyOnWriteArrayList<>();

    public final MockUser bot;
    /** The bot's application id (Discord: the bot user's id for bots created since 2016). */
    public final long applicationId;
    public final Map<Long, MockUser> users = new LinkedHashMap<>();
    public final Map<Long, MockGuild> guilds = new LinkedHashMap<>();
    public final Map<Long, MockWebhook> webhooks = new LinkedHashMap<>();
    public final Map<String, MockInteraction> interactionsByToken = new LinkedHashMap<>();
    public final Map<Long, MockCommand> commands = new LinkedHashMap<>();
    public final Map<String, MockInvite> invites = new LinkedHashMap<>();
    /** OAuth2 authorization code → the grant it stands for. */
    public final Map<String, OAuthGrant> oauthCodes = new LinkedHashMap<>();
    /** OAuth2 access token → grant. */
    public final Map<String, OAuthGrant> accessTokens = new LinkedHashMap<>();
    /** OAuth2 refresh token → grant. */
    public final Map<String, OAuthGrant> refreshTokens = new LinkedHashMap<>();

    /**
     * An OAuth2 grant: who, for which scopes, until when.
     *
     * @param redirectUri the redirect URI the code was issued for, or null to accept any
     */
    public record OAuthGrant(long userId, String scope, String redirectUri, Instant expiresAt) {
    }

    public MockState(InstantSource clock, long botUserId, String botName) {
        this.clock = clock;
        this.bot = new MockUser(botUserId, botName, botName, true);
        this.applicationId = botUserId;
        users.put(bot.id, bot);
    }

    public Instant now() {
        return clock.instant();
    }

    /** Runs {@code work} under the state lock and returns its result. */
    public <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} under the state lock. */
    public void locked(Runnable work) {
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }

    public void addListener(MockEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MockEventListener listener) {
        listeners.remove(listener);
    }

    /** Tells every listener; call with the lock held so events keep the order of the changes. */
    public void emit(String type, long guildId, ObjectNode data) {
        for (MockEventListener l : listeners) {
            l.onEvent(new MockEvent(type, guildId, data.deepCopy()));
        }
    }

    /** A new snowflake: the current time since Discord's epoch, strictly increasing. */
    public long nextId() {
        long candidate = (clock.millis() - DISCORD_EPOCH) << 22;
        return lastId.updateAndGet(last -> Math.max(last + 1, candidate));
    }

    /** A random URL-safe token of {@code bytes} random bytes, hex-encoded. */
    public String newToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- lookups that answer with Discord's errors ----

    public MockGuild guild(long id) {
        MockGuild g = guilds.get(id);
        if (g == null) {
            throw DiscordError.unknownGuild();
        }
        return g;
    }

    /** The guild the bot may act in: unknown or left guilds are 404 Unknown Guild, as Discord answers. */
    public MockGuild botGuild(long id) {
        MockGuild g = guilds.get(id);
        if (g == null || !g.members.containsKey(bot.id)) {
            throw DiscordError.unknownGuild();
        }
        return g;
    }

    /** The channel (or thread) with this id, in any guild. */
    public MockChannel channel(long id) {
        for (MockGuild g : guilds.values()) {
            MockChannel c = g.channels.get(id);
            if (c != null) {
                return c;
            }
        }
        throw DiscordError.unknownChannel();
    }

    public MockUser user(long id) {
        MockUser u = users.get(id);
        if (u == null) {
            throw DiscordError.unknownUser();
        }
        return u;
    }

    public MockMember member(MockGuild guild, long userId) {
        MockMember m = guild.members.get(userId);
        if (m == null) {
            throw DiscordError.unknownMember();
        }
        return m;
    }

    public MockRole role(MockGuild guild, long roleId) {
        MockRole r = guild.roles.get(roleId);
        if (r == null) {
            throw DiscordError.unknownRole();
        }
        return r;
    }

    public MockMessage message(MockChannel channel, long messageId) {
        MockMessage m = channel.messages.get(messageId);
        if (m == null) {
            throw DiscordError.unknownMessage();
        }
        return m;
    }

    public MockWebhook webhook(long id) {
        MockWebhook w = webhooks.get(id);
        if (w == null) {
            throw DiscordError.unknownWebhook();
        }
        return w;
    }

    // ---- building blocks used by the routes, the admin routes and seeds ----

    /** The user with this id, created (or renamed) as given. */
    public MockUser putUser(long id, String username, boolean bot) {
        MockUser existing = users.get(id);
        if (existing != null) {
            if (username != null && !existing.bot) {
                existing.username = username;
                existing.globalName = username;
            }
            return existing;
        }
        MockUser u = new MockUser(id, username == null ? "user" + id : username, username, bot);
        users.put(id, u);
        return u;
    }

    /** A new guild with its @everyone role; the owner must be added as a member by the caller. */
    public MockGuild createGuild(long id, String name, long ownerId, long everyonePermissions) {
        if (guilds.containsKey(id)) {
            throw new DiscordError(400, 50035, "Invalid Form Body: guild " + id + " exists");
        }
        MockGuild g = new MockGuild(id, name, ownerId);
        g.roles.put(id, new MockRole(id, "@everyone", 0, everyonePermissions));
        guilds.put(id, g);
        return g;
    }

    /** Adds a member and raises GUILD_MEMBER_ADD. */
    public MockMember addMember(MockGuild guild, MockUser user, List<Long> roles) {
        return addMember(guild, user, roles, true);
    }

    /** Adds a member; {@code announce} false while a guild is being built (its GUILD_CREATE lists the members). */
    public MockMember addMember(MockGuild guild, MockUser user, List<Long> roles, boolean announce) {
        MockMember m = new MockMember(guild.id, user, now());
        for (long r : roles) {
            if (r != guild.id && guild.roles.containsKey(r)) {
                m.roles.add(r);
            }
        }
        guild.members.put(user.id, m);
        if (!announce) {
            return m;
        }
        ObjectNode d = m.toJson();
        d.put("guild_id", Json.id(guild.id));
        emit("GUILD_MEMBER_ADD", guild.id, d);
        return m;
    }

    /**
     * Stores a new message in {@code channel} and raises MESSAGE_CREATE.
     *
     * @param author the author's user object (a webhook's pseudo-user for webhook messages)
     */
    public MockMessage addMessage(MockChannel channel, ObjectNode author, long authorId, String content) {
        MockMessage m = new MockMessage(nextId(), channel.id, channel.guildId, author, authorId, now());
        m.content = content == null ? "" : content;
        channel.messages.put(m.id, m);
        return m;
    }

    /** Raises MESSAGE_CREATE for a stored message (after its fields are set). */
    public void messageCreated(MockMessage m) {
        ObjectNode d = m.toJson(0);
        MockGuild g = guilds.get(m.guildId);
        if (g != null) {
            MockMember member = g.members.get(m.authorId);
            if (member != null && m.webhookId == 0) {
                ObjectNode partial = member.toJson();
                partial.remove("user");
                d.set("member", partial);
            }
        }
        emit("MESSAGE_CREATE", m.guildId, d);
    }

    /** Records an audit-log entry (Discord keeps them for the actions that take a reason). */
    public void audit(MockGuild guild, long userId, int actionType, long targetId, String reason) {
        ObjectNode e = Json.obj();
        e.put("id", Json.id(nextId()));
        e.put("user_id", Json.id(userId));
        e.put("target_id", targetId == 0 ? null : Json.id(targetId));
        e.put("action_type", actionType);
        if (reason != null) {
            e.put("reason", reason);
        }
        e.putArray("changes");
        guild.auditLog.add(e);
        ObjectNode d = e.deepCopy();
        d.put("guild_id", Json.id(guild.id));
        emit("GUILD_AUDIT_LOG_ENTRY_CREATE", guild.id, d);
    }
}
