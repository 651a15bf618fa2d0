/** {@code bin/bench kv}: tenant KV get and set throughput and latency against embedded PostgreSQL. */
package io.templateworker.bench.kv;
