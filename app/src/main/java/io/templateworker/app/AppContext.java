package io.templateworker.app;

import io.templateworker.app.config.AppConfig;

/**
 * Everything a mode needs to start: the command line, the validated configuration, and when the process was
 * launched (to report launch-to-healthy time).
 *
 * @param launchMillis epoch milliseconds at JVM start
 * @param version      the product version (from the jar manifest; "dev" when run from classes)
 */
public record AppContext(CliOptions options, AppConfig config, long launchMillis, String version) {
}
