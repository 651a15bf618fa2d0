package io.templateworker.app.config;

/** The configuration is missing, unreadable or invalid. The message names the key and what is expected. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
