/**
 * Request and response bodies of the HTTP API, as records whose JSON matches upstream's (UPSTREAM.md §4): snake_case
 * field names, snowflakes as strings, timestamps as RFC 3339. The OpenAPI document is generated from them.
 */
package io.templateworker.api.dto;
