package io.templateworker.storage.expiry;

import java.time.Duration;

/**
 * Settings of one {@link KeyExpiryEngine}. Validated on construction with messages that name the setting.
 *
 * @param workerId        which worker this engine serves: it fires keys of tenants with
 *                        {@code (id >> 22) % workers == workerId}
 * @param workers         number of workers
 * @param window          how far ahead due keys are held in memory
 * @param slideInterval   how often the in-memory window is extended
 * @param rescanInterval  how often the database is searched for overdue keys the engine does not hold
 *                        (written by another process without a listener call, or whose lease ran out after
 *                        a crash); such keys fire at most this late
 * @param maxInMemory     most keys held in memory; a fuller window is loaded in parts
 * @param batchSize       most rows per claim or delete statement
 * @param claimAhead      how long before its due time a key is claimed in the database, so that at the due
 *                        time the event is dispatched from memory without a database round trip (0 = claim
 *                        at the due time)
 * @param lease           how long a claimed key is reserved for its dispatch; after a crash it is delivered
 *                        again once this has passed
 * @param dispatchTimeout a dispatch not completed by then counts as failed; must be shorter than the lease
 * @param maxAttempts     deliveries of one expiry before it is parked and reported
 * @param initialBackoff  delay before the first retry; doubled per further failure
 * @param maxBackoff      longest delay between retries
 */
public record ExpiryConfig(int workerId, int workers, Duration window, Duration slideInterval, Duration rescanInterval,
                           int maxInMemory, int batchSize, Duration claimAhead, Duration lease, Duration dispatchTimeout,
                           int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public ExpiryConfig {
        require(workers >= 1, "expiry.workers must be at least 1, got " + workers);
        require(workerId >= 0 && workerId < workers, "expiry.workerId must be in 0.." + (workers - 1) + ", got " + workerId);
        requirePositive(window, "expiry.window");
        requirePositive(slideInterval, "expiry.slideInterval");
        requirePositive(rescanInterval, "expiry.rescanInterval");
        requirePositive(lease, "expiry.lease");
        requirePositive(dispatchTimeout, "expiry.dispatchTimeout");
        requirePositive(initialBackoff, "expiry.initialBackoff");
        requirePositive(maxBackoff, "expiry.maxBackoff");
        require(claimAhead != null && !claimAhead.isNegative(), "expiry.claimAhead must be 0 or more, got " + claimAhead);
        require(maxInMemory >= batchSize, "expiry.maxInMemory (" + maxInMemory + ") must be at least expiry.batchSize");
        require(batchSize >= 1, "expiry.batchSize must be at least 1, got " + batchSize);
        require(maxAttempts >= 1, "expiry.maxAttempts must be at least 1, got " + maxAttempts);
        require(dispatchTimeout.plus(claimAhead).compareTo(lease) < 0, "expiry.dispatchTimeout (" + dispatchTimeout
                + ") plus expiry.claimAhead (" + claimAhead + ") must be shorter than expiry.lease (" + lease
                + "), or a slow dispatch could be delivered twice");
        require(slideInterval.compareTo(window) < 0, "expiry.slideInterval must be shorter than expiry.window");
    }

    /**
     * Production defaults: a 60 s window slid every second, a rescan every second, keys claimed 2 s ahead,
     * 60 s leases with a 30 s dispatch timeout, 10 attempts with backoff from 1 s to 5 min.
     *
     * <p>The claimer claims in steps of 100 ms as keys come within {@code claimAhead}, so a claim's commit (an
     * fsync with production durability) may take up to 1.9 s before its keys are late; at 250 ms, commits slowed
     * by a busy disk or CPU put keys 100+ ms late.
     */
    public static ExpiryConfig defaults(int workerId, int workers) {
        return new ExpiryConfig(workerId, workers, Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(1),
                200_000, 500, Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(30), 10,
                Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    public ExpiryConfig withLease(Duration newLease, Duration newDispatchTimeout) {
        return new ExpiryConfig(workerId, workers, window, slideInterval, rescanInterval, maxInMemory, batchSize,
                claimAhead, newLease, newDispatchTimeout, maxAttempts, initialBackoff, maxBackoff);
    }

    public ExpiryConfig withRetries(int newMaxAttempts, Duration newInitialBackoff, Duration newMaxBackoff) {
        return new ExpiryConfig(workerId, workers, window, slideInterval, rescanInterval, maxInMemory, batchSize,
                claimAhead, lease, dispatchTimeout, newMaxAttempts, newInitialBackoff, newMaxBackoff);
    }

    public ExpiryConfig withScanning(Duration newWindow, Duration newSlide, Duration newRescan) {
        return new ExpiryConfig(workerId, workers, newWindow, newSlide, newRescan, maxInMemory, batchSize,
                claimAhead, lease, dispatchTimeout, maxAttempts, initialBackoff, maxBackoff);
    }

    public ExpiryConfig withClaimAhead(Duration newClaimAhead) {
        return new ExpiryConfig(workerId, workers, window, slideInterval, rescanInterval, maxInMemory, batchSize,
                newClaimAhead, lease, dispatchTimeout, maxAttempts, initialBackoff, maxBackoff);
    }

    /** Backoff before retry number {@code failures} (1 = first retry). */
    Duration backoff(int failures) {
        Duration d = initialBackoff;
        for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    private static void requirePositive(Duration d, String name) {
        require(d != null && !d.isNegative() && !d.isZero(), name + " must be a positive duration, got " + d);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
