/**
 * {@code bin/bench sandbox}: what isolation and limits cost — VM and tenant-environment creation (time and
 * retained memory), Java→Luau handler calls per second, slowdown with limits on, and kill latency.
 */
package io.templateworker.bench.sandbox;
