package io.templateworker.discord.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits;
import io.templateworker.mockdiscord.ratelimit.MockRateLimits.Limit;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against the mock Discord: rate limits learned from headers, 429s, retries, the invalid-request guard. */
class DiscordRestClientTest {

    static final long GENERAL = DemoGuild.GENERAL_CHANNEL_ID;
    MockDiscord discord;
    MockRateLimits limits;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    DiscordRestClient client;

    @BeforeEach
    void start() {
        discord = MockDiscord.start(MockDiscord.Options.defaults());
        DemoGuild.seed(discord);
        limits = discord.rateLimits();
        limits.disable();
        client = client(DiscordRestConfig.defaults(discord.apiBase(), discord.botToken()));
    }

    DiscordRestClient client(DiscordRestConfig config) {
        return new DiscordRestClient(config.withRetries(3, Duration.ofMillis(10)), meters);
    }

    /** A second client beside {@link #client}, with metrics of its own (one client per registry, as in the service). */
    DiscordRestClient another(DiscordRestConfig config) {
        return new DiscordRestClient(config.withRetries(3, Duration.ofMillis(10)), new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        client.close();
        discord.close();
    }

    static DiscordRequest message(long channel, String content) {
        return DiscordRequest.post("/channels/{channel_id}/messages", "{\"content\":\"" + content + "\"}", channel);
    }

    @Test
    void a_bucket_is_waited_for_instead_of_earning_429s() throws Exception {
        limits.setLimit("messages.create", new Limit(3, Duration.ofMillis(700)));
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 4; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 3; i++) {
                        assertThat(client.execute(message(GENERAL, n + "-" + i)).status()).isEqualTo(200);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
        // 12 messages at 3 per 0.7 s: at least three full windows waited, and not one 429.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2100));
        assertThat(limits.stats().get("limited_user")).isZero();
        assertThat(client.rateLimiter().bucketOf("POST /channels/{channel_id}/messages")).isNotNull();
        // Another channel is another queue of the same bucket: it does not wait for general's.
        assertThat(client.execute(message(DemoGuild.MOD_LOG_CHANNEL_ID, "x")).status()).isEqualTo(200);
    }

    @Test
    void routes_sharing_a_bucket_are_discovered_and_queued_together() {
        limits.setLimit("reactions", new Limit(2, Duration.ofMillis(400)));
        String messageId = client.execute(message(GENERAL, "react to me")).body().replaceAll(".*?\"id\":\"(\\d+)\".*", "$1");
        DiscordRequest put = DiscordRequest.of("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", GENERAL,
                messageId, "👍");
        DiscordRequest delete = DiscordRequest.of("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                GENERAL, messageId, "👍");
        DiscordRequest list = DiscordRequest.get("/channels/{channel_id}/messages/{message_id}/reactions/{emoji}", GENERAL, messageId, "👍");
        client.execute(put);
        client.execute(list);
        client.execute(delete);
        String bucket = client.rateLimiter().bucketOf(put.method() + " " + put.route());
        assertThat(bucket).isNotNull()
                .isEqualTo(client.rateLimiter().bucketOf(list.method() + " " + list.route()))
                .isEqualTo(client.rateLimiter().bucketOf(delete.method() + " " + delete.route()));
        limits.resetStats();
        for (int i = 0; i < 4; i++) {
            client.execute(put);
            client.execute(list);
            client.execute(delete);
        }
        assertThat(limits.stats().get("limited_user")).as("429s the shared bucket's headers predicted").isZero();
        assertThat(limits.stats().get("requests")).isEqualTo(12);
    }

    @Test
    void the_global_limit_is_kept_without_429s() {
        limits.setGlobal(new Limit(5, Duration.ofSeconds(1)));
        try (DiscordRestClient paced = another(DiscordRestConfig.defaults(discord.apiBase(), discord.botToken()).withGlobalPerSecond(5))) {
            long start = System.nanoTime();
            for (int i = 0; i < 12; i++) {
                paced.execute(i % 2 == 0 ? DiscordRequest.get("/users/@me") : DiscordRequest.get("/guilds/{guild_id}", DemoGuild.GUILD_ID));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
            // The global limit sends no headers, so the client cannot see where Discord's second starts: it keeps a
            // sliding window with a margin. A request delayed in the server by more than the margin can still meet a
            // 429 (then waited out); an unpaced client would meet seven here.
            assertThat(limits.stats().get("limited_global")).isLessThanOrEqualTo(1L);
        }
    }

    @Test
    void a_429_is_waited_out_for_its_retry_after_and_the_request_succeeds() {
        limits.force(new MockRateLimits.Forced("GET", "/users/@me", 1, 0.3, "user"));
        long start = System.nanoTime();
        assertThat(client.execute(DiscordRequest.get("/users/@me")).body()).contains("Template Worker");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(limits.stats().get("forced")).isEqualTo(1);
        // A global 429 pauses every route.
        limits.force(new MockRateLimits.Forced("GET", "/users/@me", 1, 0.3, "global"));
        start = System.nanoTime();
        client.execute(DiscordRequest.get("/users/@me"));
        client.execute(DiscordRequest.get("/guilds/{guild_id}", DemoGuild.GUILD_ID));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // Shared-scope 429s do not count toward the invalid-request limit; user-scope ones do.
        assertThat(client.guard().count()).isEqualTo(2);
    }

    @Test
    void the_invalid_request_guard_refuses_well_before_discords_limit() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        try (DiscordRestClient wrong = new DiscordRestClient(DiscordRestConfig.defaults(discord.apiBase(), "not-the-token")
                .withInvalidRequestLimit(5), own)) {
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(() -> wrong.execute(DiscordRequest.get("/users/@me")))
                        .isInstanceOfSatisfying(DiscordException.class, e -> assertThat(e.status()).isEqualTo(401));
            }
            limits.resetStats();
            assertThatThrownBy(() -> wrong.execute(DiscordRequest.get("/users/@me")))
                    .isInstanceOfSatisfying(DiscordException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DiscordException.Kind.REFUSED);
                        assertThat(e.getMessage()).contains("paused").contains("10,000").contains("401, 403 or 429");
                    });
            assertThat(limits.stats().get("requests")).as("nothing sent once the guard tripped").isZero();
            assertThat(own.get("discord.rest.refused").counter().count()).isEqualTo(1.0);
            assertThat(own.get("discord.rest.invalid.responses.window").gauge().value()).isEqualTo(5.0);
        }
    }

    @Test
    void idempotent_calls_are_retried_after_5xx_and_posts_are_not() throws Exception {
        admin("/errors", "{\"method\":\"GET\",\"route\":\"/users/@me\",\"count\":2,\"status\":502}");
        assertThat(client.execute(DiscordRequest.get("/users/@me")).status()).isEqualTo(200);
        admin("/errors", "{\"method\":\"POST\",\"route\":\"/channels/{channel_id}/messages\",\"status\":500}");
        assertThatThrownBy(() -> client.execute(message(GENERAL, "once")))
                .isInstanceOfSatisfying(DiscordException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(client.execute(message(GENERAL, "twice")).status()).isEqualTo(200);
        int stored = discord.locked(a -> discord.state().channel(GENERAL).messages.size());
        assertThat(stored).as("the failed POST was not sent twice").isEqualTo(1);
    }

    @Test
    void discord_errors_carry_status_code_and_body() {
        assertThatThrownBy(() -> client.execute(DiscordRequest.get("/channels/{channel_id}/messages/{message_id}", GENERAL, 42L)))
                .isInstanceOfSatisfying(DiscordException.class, e -> {
                    assertThat(e.kind()).isEqualTo(DiscordException.Kind.HTTP);
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo(10008);
                    assertThat(e.getMessage()).contains("Unknown Message");
                });
        DiscordResponse kicked = client.execute(DiscordRequest.of("DELETE", "/guilds/{guild_id}/members/{user_id}", DemoGuild.GUILD_ID,
                DemoGuild.BOB_ID).withReason("spam, é"));
        assertThat(kicked.status()).isEqualTo(204);
        assertThat(kicked.hasBody()).isFalse();
        String audit = client.execute(DiscordRequest.get("/guilds/{guild_id}/audit-logs", DemoGuild.GUILD_ID)).body();
        assertThat(audit).contains("\"reason\":\"spam, é\"");
    }

    @Test
    void an_unreachable_discord_is_unavailable_after_retries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DiscordRestClient dead = another(DiscordRestConfig.defaults("http://127.0.0.1:" + port + "/api/v10", "t"))) {
            assertThatThrownBy(() -> dead.execute(DiscordRequest.get("/users/@me")))
                    .isInstanceOfSatisfying(DiscordException.class, e -> {
                        assertThat(e.kind()).isEqualTo(DiscordException.Kind.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("after 3 retries");
                    });
        }
    }

    @Test
    void api_base_follows_meta_proxy() {
        assertThat(DiscordRestConfig.apiBaseFor(null)).isEqualTo("https://discord.com/api/v10");
        assertThat(DiscordRestConfig.apiBaseFor("http://localhost:3221")).isEqualTo("http://localhost:3221/api/v10");
        assertThat(DiscordRestConfig.apiBaseFor("http://localhost:3221/")).isEqualTo("http://localhost:3221/api/v10");
    }

    private void admin(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(discord.baseUrl() + "/__mock" + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
    }
}
