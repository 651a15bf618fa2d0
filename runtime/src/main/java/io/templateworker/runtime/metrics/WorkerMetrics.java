package io.templateworker.runtime.metrics;

/**
 * The standard worker metrics, exported on {@code /metrics}. The code that knows a figure updates it directly;
 * nothing needs wiring. In process-pool mode each JVM has its own copies and only the master's are exported,
 * so count where the master sees the outcome (a dispatch future completing, a child respawned).
 *
 * <pre>{@code
 * WorkerMetrics.EVENTS_DISPATCHED.inc(WorkerMetrics.RESULT_OK);
 * WorkerMetrics.LIVE_VMS.add(1);                               // and add(-1) when the VM closes
 * Gauge.Tracking t = WorkerMetrics.QUEUED_EVENTS.track("tenant", pool::queuedEvents);   // close when killed
 * WorkerMetrics.EXPIRY_LATENESS.observe(lateNanos / 1e9);
 * WorkerMetrics.PLUGIN_CALLS.inc("KV");
 * WorkerMetrics.RATE_LIMIT_HITS.inc("KV");
 * }</pre>
 */
public final class WorkerMetrics {

    /** Result label values of {@link #EVENTS_DISPATCHED}. */
    public static final String RESULT_OK = "ok";
    /** The dispatch itself failed (broken VM, timeout, worker error); a template's own error is still "ok". */
    public static final String RESULT_ERROR = "error";
    /** The tenant's event filter did not admit the event. */
    public static final String RESULT_FILTERED = "filtered";
    /** Refused before running: tenant queue full, worker stopped, tenant banned. */
    public static final String RESULT_REFUSED = "refused";

    /** Events handed to a tenant, by outcome. */
    public static final Counter EVENTS_DISPATCHED = Counter.labelled("worker_events_dispatched",
            "Events dispatched to tenants, by result: ok, error (the dispatch failed), filtered (not in the tenant's"
                    + " event filter), refused (queue full, worker stopped)",
            "result", RESULT_OK, RESULT_ERROR, RESULT_FILTERED, RESULT_REFUSED);

    /** A template raised an error (or hit a limit) while handling an event. */
    public static final Counter TEMPLATE_ERRORS = Counter.create("worker_template_errors",
            "Template runs that ended in an error (Luau error or limit exceeded)");

    /** Tenant VMs alive in this process (thread pool; the process-pool children keep their own). */
    public static final Gauge LIVE_VMS = Gauge.create("worker_vms", "Tenant VMs currently alive");

    /** Events waiting: {@code tenant} (in tenant lanes) and {@code process} (held while a worker process restarts). */
    public static final Gauge QUEUED_EVENTS = Gauge.labelled("worker_queued_events",
            "Events waiting to run: in tenant lanes (queue=tenant) or held for a restarting worker process (queue=process)",
            "queue", "tenant", "process");

    /** A worker process (or the whole pool, after /i/kill-worker) was started again. */
    public static final Counter PROCESS_RESTARTS = Counter.labelled("worker_restarts",
            "Worker restarts: a crashed or unresponsive worker process replaced (kind=process),"
                    + " or the whole pool restarted after /i/kill-worker (kind=pool)",
            "kind", "process", "pool");

    /** How late a key expiry fired, in seconds after its {@code expires_at}. */
    public static final Histogram EXPIRY_LATENESS = Histogram.create("key_expiry_lateness_seconds",
            "Delay between a key's expiry time and the dispatch of its KeyExpiry event", Histogram.SECONDS);

    /** Calls of a template plugin action, by plugin ({@code Discord}, {@code KV}, {@code GlobalKV}, ...). */
    public static final Counter PLUGIN_CALLS = Counter.labelled("plugin_calls",
            "Plugin actions called by templates, by plugin", "plugin");

    /** Calls refused by a rate limit, by limiter: a plugin name, or {@code api} for HTTP API callers. */
    public static final Counter RATE_LIMIT_HITS = Counter.labelled("rate_limit_hits",
            "Calls refused by a rate limit, by limiter (a plugin name, or api for HTTP callers)", "limiter", "api");

    private WorkerMetrics() {
    }

    /** Snapshot key of {@link #LIVE_VMS}. */
    public static final String SNAPSHOT_VMS = "vms";
    /** Snapshot key of {@link #QUEUED_EVENTS}{@code {queue="tenant"}}. */
    public static final String SNAPSHOT_QUEUED = "queued";
    /** Snapshot key prefix of {@link #PLUGIN_CALLS} series ({@code plugin_calls:KV}). */
    public static final String SNAPSHOT_PLUGIN_CALLS = "plugin_calls:";
    /** Snapshot key prefix of {@link #RATE_LIMIT_HITS} series. */
    public static final String SNAPSHOT_RATE_LIMIT_HITS = "rate_limit_hits:";

    /**
     * What a process-pool child knows and its master does not: live VMs, events in tenant lanes, plugin calls and
     * rate-limit hits (cumulative), keyed as the {@code SNAPSHOT_*} constants say. The child sends it to the master,
     * which exports it (see {@link ChildMetrics}).
     */
    public static java.util.Map<String, Long> childSnapshot() {
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        out.put(SNAPSHOT_VMS, LIVE_VMS.value());
        out.put(SNAPSHOT_QUEUED, QUEUED_EVENTS.value("tenant"));
        PLUGIN_CALLS.series().forEach((plugin, n) -> out.put(SNAPSHOT_PLUGIN_CALLS + plugin, n));
        RATE_LIMIT_HITS.series().forEach((limiter, n) -> out.put(SNAPSHOT_RATE_LIMIT_HITS + limiter, n));
        return out;
    }

    /** Loads the catalog so every standard metric is registered (and exported as 0) before its first use. */
    public static void init() {
        // Touching the class runs the static initialisers above.
    }
}
