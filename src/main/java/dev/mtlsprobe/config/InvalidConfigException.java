package dev.mtlsprobe.config;

import io.quarkus.runtime.configuration.ConfigurationException;

/** A configuration value the probe cannot work with; the message is one line: key, bad value, fix. */
public final class InvalidConfigException extends ConfigurationException {

    public InvalidConfigException(String key, String value, String fix) {
        super("Invalid configuration: " + key + "=" + quote(value) + ": " + fix);
    }

    public InvalidConfigException(String message) {
        super("Invalid configuration: " + message);
    }

    private static String quote(String value) {
        return value == null ? "(unset)" : "\"" + value + "\"";
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the message says everything; a stack trace would only bury it
    }
}
