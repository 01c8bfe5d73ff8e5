package dev.mtlsprobe.probe;

import java.time.Duration;

/**
 * The budget of one attempt. Every blocking step (DNS, connect, TLS handshake, write, read) asks it how long it
 * may still wait, so the whole attempt ends by {@code timeout}, not each step.
 */
public record Deadline(long startNanos, long endNanos) {

    public static Deadline after(Duration timeout) {
        long now = System.nanoTime();
        return new Deadline(now, now + timeout.toNanos());
    }

    public long budgetMillis() {
        return (endNanos - startNanos) / 1_000_000;
    }

    /**
     * Rounded up, so that a socket timeout never ends before the deadline; at least 1, since socket APIs read 0 as
     * "wait forever".
     */
    public int millisLeft() {
        long left = (endNanos - System.nanoTime() + 999_999) / 1_000_000;
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left));
    }

    public long nanosLeft() {
        return endNanos - System.nanoTime();
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }
}
