/**
 * The mock's rate limits, as Discord applies them: per-route buckets (shared by routes with the same bucket name,
 * counted per top-level resource), a global limit per caller, the {@code X-RateLimit-*} headers, and 429s forced on
 * demand for tests.
 */
package io.templateworker.mockdiscord.ratelimit;
