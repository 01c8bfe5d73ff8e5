package dev.mtlsprobe.check;

import dev.mtlsprobe.config.InvalidConfigException;

/**
 * A command line the check cannot run: one line naming the option, the value as given (control characters
 * escaped) and the fix. The check exits 1 on it, as on a failed check, so that no gate mistakes a typo for a pass
 * or for an inconclusive run.
 */
public final class UsageException extends RuntimeException {

    public UsageException(String option, String value, String fix) {
        super("Invalid option: " + InvalidConfigException.visible(option)
                + (value == null ? "" : "=\"" + InvalidConfigException.visible(value).replace("\"", "\\\"") + "\"")
                + ": " + fix);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the message says everything
    }
}
