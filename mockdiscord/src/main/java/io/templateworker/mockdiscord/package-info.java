/**
 * A mock Discord for tests, local mode and tools: {@link io.templateworker.mockdiscord.MockDiscord} serves Discord's
 * REST API v10 under {@code /api/v10} over real HTTP, with in-memory state, Discord's JSON shapes and error codes,
 * permission checks, rate-limit headers and 429s on demand, and admin routes under {@code /__mock/}.
 * Depends on none of the product's modules, so any module may use it in tests.
 */
package io.templateworker.mockdiscord;
