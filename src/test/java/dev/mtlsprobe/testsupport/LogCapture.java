package dev.mtlsprobe.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The probe's log lines ("LEVEL message") while it is open, for tests that assert what is said and how often. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("dev.mtlsprobe");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public LogCapture() {
        logger.addHandler(this);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** How many lines contain the text. */
    public long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Override
    public void publish(LogRecord r) {
        String message = r.getMessage();
        if (r.getParameters() != null && r.getParameters().length > 0 && message != null && message.contains("%")) {
            message = String.format(message, r.getParameters());
        }
        lines.add(r.getLevel() + " " + message);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
