/**
 * Reading request bodies: {@link io.templateworker.api.json.JsonBody} checks the media type (415), the size (413,
 * {@code api.max_body_bytes}) and the JSON, and turns every parsing or binding failure into a 400 that says what was
 * wrong and where ({@code $.fields[0].name: expected a string, got a number}) without library internals.
 */
package io.templateworker.api.json;
