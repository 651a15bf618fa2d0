/** {@code bin/bench fairness}: a quiet tenant's latency beside spinning and flooding tenants on the same worker. */
package io.templateworker.bench.fairness;
