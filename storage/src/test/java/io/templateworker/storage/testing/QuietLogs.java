package io.templateworker.storage.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Silences the loggers a fault-injection test makes talk on purpose (the database monitor announcing the
 * outage it was meant to see, the pool's broken connections), so a green run stays quiet; {@link #close()}
 * restores their levels. Use only around the fault, in tests that assert on the behaviour instead:
 * <pre>{@code
 * try (QuietLogs quiet = QuietLogs.of("com.zaxxer.hikari", "io.templateworker.storage.db")) { ... }
 * }</pre>
 */
public final class QuietLogs implements AutoCloseable {

    private final Map<Logger, Level> previous = new LinkedHashMap<>();

    private QuietLogs() {
    }

    public static QuietLogs of(String... loggerNames) {
        QuietLogs quiet = new QuietLogs();
        for (String name : loggerNames) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            quiet.previous.put(logger, logger.getLevel());
            logger.setLevel(Level.OFF);
        }
        return quiet;
    }

    @Override
    public void close() {
        previous.forEach(Logger::setLevel);
    }
}
