package dev.mtlsprobe.config;

import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * A configuration value the probe cannot work with. The message is one line: key, bad value, fix; Quarkus prints
 * a {@link ConfigurationException} as its bare message, and a stack trace would only bury it.
 */
public final class InvalidConfigException extends ConfigurationException {

    private static final int MAX_VALUE = 200;

    public InvalidConfigException(String key, String value, String fix) {
        super("Invalid configuration: " + visible(key) + "=" + quote(value) + ": " + fix);
    }

    public InvalidConfigException(String message) {
        super("Invalid configuration: " + message);
    }

    private static String quote(String value) {
        return value == null ? "(unset)" : "\"" + visible(value).replace("\"", "\\\"") + "\"";
    }

    /**
     * The value as it can be shown in a log line: control characters (a CR or LF could forge a line, an escape
     * sequence could rewrite the terminal) are written as escapes, and the length is bounded.
     */
    public static String visible(String raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            if (sb.length() >= MAX_VALUE) {
                return sb.append("...").toString();
            }
            char c = raw.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || Character.isISOControl(c) || c == '\u2028'
                            || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the message says everything
    }
}
