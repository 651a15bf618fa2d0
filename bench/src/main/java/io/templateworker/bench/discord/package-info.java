/** {@code bin/bench discord}: the Discord REST client's rate limiter, its own cost per request. */
package io.templateworker.bench.discord;
