/**
 * The HTTP API server: {@link io.templateworker.api.ApiServer} runs Javalin on virtual threads and mounts
 * {@link io.templateworker.api.RouteGroup}s. Every route is declared once, with its method, path, summary and
 * request/response types, so the OpenAPI document is generated from the same declarations that serve
 * requests. Errors leave as {@code {"message", "code"}} with upstream's codes ({@link
 * io.templateworker.api.ApiErrorCode}).
 */
package io.templateworker.api;
