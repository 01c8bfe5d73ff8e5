package dev.mtlsprobe.probe;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes an attempt's socket when its deadline passes. Socket timeouts bound each read only: a peer that drips one
 * TLS handshake byte a second, or never reads what the probe writes, would otherwise hold an attempt (and its
 * thread) far past its timeout. Closing the TCP socket from another thread ends any blocking call on it at once.
 */
final class Watchdog {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Watchdog() {
    }

    /** A guard for one socket; {@link #close} disarms it. */
    static final class Guard implements AutoCloseable {
        private final ScheduledFuture<?> task;
        private final AtomicBoolean fired;

        private Guard(ScheduledFuture<?> task, AtomicBoolean fired) {
            this.task = task;
            this.fired = fired;
        }

        /** True when the deadline closed the socket. */
        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }

    /** @param socket the plain TCP socket (never the TLS layer, whose close would try to send close_notify) */
    static Guard arm(Socket socket, Deadline deadline) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> task = TIMER.schedule(() -> {
            fired.set(true);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we wanted; the attempt thread sees the closed socket
            }
        }, Math.max(0, deadline.nanosLeft()), TimeUnit.NANOSECONDS);
        return new Guard(task, fired);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "mtls-probe-deadline");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true); // thousands of attempts a minute: cancelled tasks must not pile up
        return t;
    }
}
