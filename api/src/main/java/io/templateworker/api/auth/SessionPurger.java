package io.templateworker.api.auth;

import io.templateworker.runtime.account.AccountStore;
import io.templateworker.runtime.store.StoreException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired sessions on a timer (at start, then every {@link #INTERVAL}); upstream ran the DELETE on every
 * authenticated request (gap 26). Expired tokens are refused anyway, since the lookup checks the expiry: this only
 * keeps the table small.
 */
public final class SessionPurger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionPurger.class);
    public static final Duration INTERVAL = Duration.ofMinutes(10);

    private final AccountStore accounts;
    private final InstantSource clock;
    private final Thread thread;
    private volatile boolean closed;

    private SessionPurger(AccountStore accounts, InstantSource clock) {
        this.accounts = accounts;
        this.clock = clock;
        this.thread = Thread.ofVirtual().name("session-purger").unstarted(this::loop);
    }

    /** Starts purging in the background; close it at shutdown. */
    public static SessionPurger start(AccountStore accounts, InstantSource clock) {
        SessionPurger purger = new SessionPurger(accounts, clock);
        purger.thread.start();
        return purger;
    }

    /** Deletes expired sessions now; returns how many. */
    public int purgeOnce() {
        int n = accounts.purgeExpiredSessions(clock.instant());
        if (n > 0) {
            LOG.debug("purged {} expired session(s)", n);
        }
        return n;
    }

    private void loop() {
        while (!closed) {
            try {
                purgeOnce();
            } catch (StoreException e) {
                LOG.warn("purging expired sessions failed (will retry in {} min): {}", INTERVAL.toMinutes(), e.getMessage());
            }
            LockSupport.parkNanos(INTERVAL.toNanos());
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        LockSupport.unpark(thread);
    }
}
