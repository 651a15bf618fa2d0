package io.templateworker.api;

import io.templateworker.api.auth.Authenticator;
import io.templateworker.api.ratelimit.ApiRateLimiter;
import java.util.Objects;

/**
 * How the server treats requests: who the caller is, how often they may call, how large a body may be, and what
 * the health check reports.
 *
 * @param maxBodyBytes largest request body accepted ({@code api.max_body_bytes}); larger ones get 413
 */
public record ApiPolicy(Authenticator authenticator, ApiRateLimiter rateLimiter, long maxBodyBytes, HealthCheck health) {

    /** The default {@code api.max_body_bytes}: 2 MiB, upstream's (axum's) body limit. */
    public static final long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;

    public ApiPolicy {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(rateLimiter, "rateLimiter");
        Objects.requireNonNull(health, "health");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1");
        }
    }

    /** Loopback callers are root and nobody else is authenticated; no rate limits; 2 MiB bodies; always healthy. */
    public static ApiPolicy loopbackOnly() {
        return new ApiPolicy(Authenticator.loopbackOnly(), ApiRateLimiter.unlimited(), DEFAULT_MAX_BODY_BYTES,
                HealthCheck.ALWAYS_HEALTHY);
    }

    public ApiPolicy withAuthenticator(Authenticator a) {
        return new ApiPolicy(a, rateLimiter, maxBodyBytes, health);
    }

    public ApiPolicy withRateLimiter(ApiRateLimiter r) {
        return new ApiPolicy(authenticator, r, maxBodyBytes, health);
    }

    public ApiPolicy withMaxBodyBytes(long bytes) {
        return new ApiPolicy(authenticator, rateLimiter, bytes, health);
    }

    public ApiPolicy withHealth(HealthCheck h) {
        return new ApiPolicy(authenticator, rateLimiter, maxBodyBytes, h);
    }
}
