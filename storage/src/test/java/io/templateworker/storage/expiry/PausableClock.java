package io.templateworker.storage.expiry;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Real time that a test can stop for a moment: while paused, {@link #instant()} stands still, so a sequence
 * of writes ("set a key due in 300 ms, then move it") means the same on a loaded machine as on an idle one;
 * after {@link #resume()} time runs on from where it stopped (no jump).
 */
final class PausableClock implements InstantSource {

    private long offsetNanos;
    private Instant pausedAt;

    @Override
    public synchronized Instant instant() {
        return pausedAt != null ? pausedAt : Instant.now().minusNanos(offsetNanos);
    }

    synchronized void pause() {
        if (pausedAt == null) {
            pausedAt = instant();
        }
    }

    synchronized void resume() {
        if (pausedAt != null) {
            offsetNanos += java.time.Duration.between(pausedAt, Instant.now().minusNanos(offsetNanos)).toNanos();
            pausedAt = null;
        }
    }

    /** Runs {@code steps} with time stopped. */
    void frozen(Runnable steps) {
        pause();
        try {
            steps.run();
        } finally {
            resume();
        }
    }
}
