/**
 * {@code bin/bench api}: authenticated requests per second and latency of the HTTP API, measured against the real
 * service (the fat jar in local mode) over keep-alive connections with a root token.
 */
package io.templateworker.bench.api;
