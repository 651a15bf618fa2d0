/**
 * The routes every deployment has regardless of features: health check, Prometheus metrics, the OpenAPI
 * documents and the Swagger UI (served from the swagger-ui webjar inside the jar, so it works offline).
 */
package io.templateworker.api.system;
