package io.templateworker.app.service;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Waits for SIGINT or SIGTERM. The handlers replace the JVM's default (which would run shutdown hooks and
 * exit with 130/143) so the service can stop in order and exit 0.
 */
public final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private final CountDownLatch received = new CountDownLatch(1);

    /** Installs the handlers; from now on SIGINT/SIGTERM release {@link #await()}. */
    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                LOG.info("received SIG{}, shutting down", s.getName());
                signals.received.countDown();
            });
        }
        return signals;
    }

    /** Blocks until a signal arrives. */
    public void await() throws InterruptedException {
        received.await();
    }
}
