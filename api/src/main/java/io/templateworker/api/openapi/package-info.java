/**
 * Generates the OpenAPI 3.1 documents served at {@code /openapi} and {@code /i/openapi} from the declared
 * routes, with JSON schemas derived from the request and response types by swagger-core.
 */
package io.templateworker.api.openapi;
