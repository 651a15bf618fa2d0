package io.templateworker.api;

/**
 * What {@code /healthcheck} reports: null while the service can do its job, else why not (answered as 503, e.g.
 * "the worker pool was killed and is restarting").
 */
@FunctionalInterface
public interface HealthCheck {

    String problem();

    HealthCheck ALWAYS_HEALTHY = () -> null;
}
