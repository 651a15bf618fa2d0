package io.templateworker.discord.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordException.Kind;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import io.templateworker.runtime.discord.DiscordRest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discord's REST API over Jetty's HTTP client: raw JSON in, raw JSON out, with Discord's rate limits
 * ({@link RateLimiter}), retries with backoff for idempotent calls after network errors and 5xx, and the
 * {@link InvalidRequestGuard}. Calls block the calling (virtual) thread.
 *
 * <p>Jetty's client rather than {@code java.net.http}: the JDK client passes every exchange through its selector thread
 * and then its executor before the caller wakes, which made this hop the largest part of a template's reply latency
 * ({@code bin/bench gateway}); Jetty writes the request on the calling thread and completes the answer from the
 * thread that read it.
 */
public final class DiscordRestClient implements DiscordRest, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiscordRestClient.class);
    // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
    private static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());
    static final String USER_AGENT = "DiscordBot (https://github.com/Anti-Raid/template-worker, 1.0) template-worker-java";

    private final DiscordRestConfig config;
    private final LongSupplier nanoClock = System::nanoTime;
    /** Largest answer read (a guild's member list of 1,000 is about 0.5 MB). */
    private static final int MAX_ANSWER_BYTES = 16 << 20;

    private final HttpClient http;
    private final RateLimiter limiter;
    private final InvalidRequestGuard guard;
    private final Counter refused;
    private final Counter ok2xx;
    private final Counter client4xx;
    private final Counter limited429;
    private final Counter server5xx;
    private final MeterRegistry meters;
    private final Gauge invalidWindow;

    public DiscordRestClient(DiscordRestConfig config, MeterRegistry meters) {
        this.config = config;
        this.http = startHttp(config);
        this.limiter = new RateLimiter(config.globalPerSecond(), nanoClock);
        this.guard = new InvalidRequestGuard(config.invalidRequestLimit(), nanoClock);
        this.refused = Counter.builder("discord.rest.refused").tag("reason", "invalid_requests")
                .description("Discord requests refused locally because too many 401/403/429 answers came within 10 minutes")
                .register(meters);
        this.ok2xx = responses(meters, "2xx");
        this.client4xx = responses(meters, "4xx");
        this.limited429 = responses(meters, "429");
        this.server5xx = responses(meters, "5xx");
        this.meters = meters;
        this.invalidWindow = Gauge.builder("discord.rest.invalid.responses.window", guard, g -> g.count())
                .description("401/403/429 answers from Discord within the last 10 minutes (Discord bans the IP at 10,000)")
                .register(meters);
    }

    public RateLimiter rateLimiter() {
        return limiter;
    }

    public InvalidRequestGuard guard() {
        return guard;
    }

    @Override
    public DiscordResponse execute(DiscordRequest request) {
        String route = request.method() + " " + request.route();
        String resource = resourceOf(request);
        boolean globalExempt = request.route().startsWith("/interactions/") || !request.botAuth();
        long deadline = nanoClock.getAsLong() + config.maxRateLimitWait().toNanos();
        int failures = 0;
        int limited = 0;
        while (true) {
            if (!guard.admits()) {
                refused.increment();
                throw DiscordException.of(Kind.REFUSED, "Discord requests are paused: " + guard.count() + " answers were 401, 403"
                        + " or 429 within 10 minutes (limit " + guard.limit() + ", kept well below Discord's 10,000, past which"
                        + " Discord bans this IP); requests resume in about " + guard.secondsUntilRelief() + " s. Check the bot"
                        + " token and the permissions the failing calls need.", null);
            }
            RateLimiter.Lease lease;
            try {
                lease = limiter.acquire(route, resource, globalExempt, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DiscordException.of(Kind.UNAVAILABLE, "interrupted while waiting for a Discord rate limit", e);
            }
            Answer response;
            try {
                response = send(request);
            } catch (IOException e) {
                lease.release();
                if (request.idempotent() && failures < config.maxRetries()) {
                    backoff(failures++);
                    continue;
                }
                throw DiscordException.of(Kind.UNAVAILABLE, "Discord did not answer " + request.method() + " " + request.route()
                        + ": " + e + (request.idempotent() ? " (after " + failures + " retries)" : " (not retried: the request may"
                        + " have been carried out)"), e);
            } catch (InterruptedException e) {
                lease.release();
                Thread.currentThread().interrupt();
                throw DiscordException.of(Kind.UNAVAILABLE, "interrupted while calling Discord", e);
            }
            int status = response.status();
            RateLimitHeaders headers = RateLimitHeaders.of(response::header);
            try {
                lease.update(status, headers, status == 429 ? retryAfter(response) : -1);
            } finally {
                lease.release();
            }
            count(status, headers);
            if (status == 429) {
                if (limited++ < config.maxRetries()) {
                    continue; // acquire waits for the reset the 429 taught
                }
                throw DiscordException.of(Kind.RATE_LIMITED, "Discord kept answering 429 to " + request.method() + " "
                        + request.route() + " (" + limited + " times); try again later", null);
            }
            if (status >= 500 && request.idempotent() && failures < config.maxRetries()) {
                backoff(failures++);
                continue;
            }
            if (status >= 400) {
                throw error(request, status, response.body());
            }
            return new DiscordResponse(status, response.body() == null ? "" : response.body());
        }
    }

    /** One answer: status, headers, body text. */
    private record Answer(int status, ContentResponse response) {
        String header(String name) {
            return response.getHeaders().get(name);
        }

        String body() {
            return response.getContentAsString();
        }
    }

    private static HttpClient startHttp(DiscordRestConfig config) {
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(config.connectTimeout());
        connector.setTCPNoDelay(true);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("discord-rest");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        HttpClient http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, USER_AGENT));
        http.setMaxConnectionsPerDestination(256);
        try {
            http.start();
            // Discord's 401 carries no WWW-Authenticate challenge: answer it as it is, like every other status.
            http.getProtocolHandlers().remove(org.eclipse.jetty.client.WWWAuthenticationProtocolHandler.NAME);
            http.getProtocolHandlers().remove(org.eclipse.jetty.client.ProxyAuthenticationProtocolHandler.NAME);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client for Discord's REST API: " + e.getMessage(), e);
        }
        return http;
    }

    private Answer send(DiscordRequest request) throws IOException, InterruptedException {
        Request r = http.newRequest(config.apiBase() + request.path()).method(request.method())
                .timeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        r.headers(h -> {
            if (request.botAuth()) {
                h.put(HttpHeader.AUTHORIZATION, "Bot " + config.token());
            }
            if (request.reason() != null) {
                h.put("X-Audit-Log-Reason", URLEncoder.encode(request.reason(), StandardCharsets.UTF_8).replace("+", "%20"));
            }
        });
        if (request.body() != null) {
            r.body(new StringRequestContent("application/json", request.body(), StandardCharsets.UTF_8));
        }
        try {
            ContentResponse response = new CompletableResponseListener(r, MAX_ANSWER_BYTES).send().get();
            return new Answer(response.getStatus(), response);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof TimeoutException) {
                throw new IOException("no answer within " + config.requestTimeout().toMillis() + " ms", cause);
            }
            throw new IOException(cause.toString(), cause);
        }
    }

    /** The top-level resource a bucket is counted per: channel, guild, webhook (with its token) or interaction. */
    static String resourceOf(DiscordRequest r) {
        String v = r.arg("channel_id");
        if (v != null) {
            return "c" + v;
        }
        v = r.arg("guild_id");
        if (v != null) {
            return "g" + v;
        }
        v = r.arg("webhook_id");
        if (v != null) {
            String token = r.arg("webhook_token");
            return "w" + v + (token == null ? "" : "/" + token);
        }
        v = r.arg("interaction_token");
        if (v != null) {
            return "i" + v;
        }
        v = r.arg("interaction_id");
        return v == null ? "" : "i" + v;
    }

    private void count(int status, RateLimitHeaders h) {
        if (status == 401 || status == 403 || (status == 429 && !"shared".equals(h.scope()))) {
            guard.record();
        }
        (status == 429 ? limited429 : status >= 500 ? server5xx : status >= 400 ? client4xx : ok2xx).increment();
    }

    private static Counter responses(MeterRegistry meters, String statusClass) {
        return Counter.builder("discord.rest.responses").tag("status", statusClass)
                .description("Answers from Discord's REST API by status class (429 apart)").register(meters);
    }

    private static long retryAfter(Answer response) {
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body.has("retry_after")) {
                return (long) Math.ceil(body.get("retry_after").asDouble() * 1e9);
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the header
        }
        String header = response.header("retry-after");
        return RateLimitHeaders.seconds(header == null ? "1" : header);
    }

    private static DiscordException error(DiscordRequest request, int status, String body) {
        int code = 0;
        String message = "";
        try {
            JsonNode b = JSON.readTree(body);
            code = b.path("code").asInt(0);
            message = b.path("message").asText("");
            if (b.has("errors")) {
                message += " " + b.get("errors");
            }
        } catch (IOException | RuntimeException e) {
            message = body == null ? "" : body.substring(0, Math.min(200, body.length()));
        }
        return DiscordException.http(status, code, "Discord answered " + status + (code != 0 ? " (code " + code + ")" : "") + " to "
                + request.method() + " " + request.route() + ": " + message, body == null ? "" : body);
    }

    private void backoff(int failures) {
        long base = config.retryBackoff().toMillis() << Math.min(failures, 6);
        long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, base / 4));
        try {
            TimeUnit.MILLISECONDS.sleep(base + jitter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DiscordException.of(Kind.UNAVAILABLE, "interrupted while retrying a Discord call", e);
        }
        LOG.debug("retrying a Discord call after {} failure(s)", failures + 1);
    }

    @Override
    public void close() {
        meters.remove(invalidWindow); // a client built after this one reports its own window
        try {
            http.stop();
        } catch (Exception e) {
            LOG.debug("stopping the Discord HTTP client: {}", e.toString());
        }
    }
}
