package io.templateworker.runtime.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * The master's view of one process-pool child's {@link WorkerMetrics#childSnapshot() snapshots}: the latest gauges
 * (live VMs, queued events; zero while the child is away) and the counters' growth since the previous snapshot,
 * added to the master's counters, so {@code /metrics} shows the children's plugin calls and rate-limit hits too. A
 * replacement child starts from zero: a count lower than the last one seen is taken whole.
 */
public final class ChildMetrics {

    private final Map<String, Long> lastCounts = new HashMap<>();
    private volatile long vms;
    private volatile long queued;

    /** Takes a snapshot the child sent. */
    public synchronized void update(Map<String, Long> snapshot) {
        vms = snapshot.getOrDefault(WorkerMetrics.SNAPSHOT_VMS, 0L);
        queued = snapshot.getOrDefault(WorkerMetrics.SNAPSHOT_QUEUED, 0L);
        for (Map.Entry<String, Long> e : snapshot.entrySet()) {
            String key = e.getKey();
            Counter counter;
            String label;
            if (key.startsWith(WorkerMetrics.SNAPSHOT_PLUGIN_CALLS)) {
                counter = WorkerMetrics.PLUGIN_CALLS;
                label = key.substring(WorkerMetrics.SNAPSHOT_PLUGIN_CALLS.length());
            } else if (key.startsWith(WorkerMetrics.SNAPSHOT_RATE_LIMIT_HITS)) {
                counter = WorkerMetrics.RATE_LIMIT_HITS;
                label = key.substring(WorkerMetrics.SNAPSHOT_RATE_LIMIT_HITS.length());
            } else {
                continue;
            }
            long now = e.getValue() == null ? 0 : e.getValue();
            Long before = lastCounts.put(key, now);
            long growth = before == null || now < before ? now : now - before;
            counter.add(label, growth);
        }
    }

    /** The child is gone (its VMs and queue with it); its replacement's counts start from zero. */
    public synchronized void childGone() {
        vms = 0;
        queued = 0;
        lastCounts.clear();
    }

    public long vms() {
        return vms;
    }

    public long queued() {
        return queued;
    }
}
