package dev.mtlsprobe.pipeline;

import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads attempts run on: a new thread only when no idle one is waiting (up to one per schedule, the most
 * that can ever be busy), idle ones retire after a while.
 *
 * <p>Why not a {@code SynchronousQueue} pool: a worker that has just finished an attempt (and freed its schedule)
 * is not yet waiting for the next task, so a tick in that instant found the pool at its maximum with nobody to
 * take the task, and was rejected. Here such a task waits in a queue for the worker that is on its way back.
 */
final class AttemptWorkers {

    private static final long STACK_SIZE = 256 * 1024; // attempts are shallow; keep idle threads cheap
    // A burst (the cold first round, a GC pause) briefly needs many workers; let the extra ones go soon after.
    private static final long IDLE_SECONDS = 10;

    private final ThreadPoolExecutor pool;

    AttemptWorkers(int max, String name) {
        LinkedTransferQueue<Runnable> queue = new LinkedTransferQueue<>() {
            @Override
            public boolean offer(Runnable task) {
                return tryTransfer(task); // only to a worker that is idle right now; else start one
            }
        };
        this.pool = new ThreadPoolExecutor(0, Math.max(1, max), IDLE_SECONDS, TimeUnit.SECONDS, queue,
                threads(name), (task, executor) -> queue.put(task)); // at the maximum: the next free worker takes it
    }

    void execute(Runnable task) {
        pool.execute(task);
    }

    /** Threads alive now, busy or idle. */
    int threads() {
        return pool.getPoolSize();
    }

    void shutdownNow() {
        pool.shutdownNow();
    }

    static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, r, name + "-" + n.incrementAndGet(), STACK_SIZE);
            t.setDaemon(true);
            return t;
        };
    }
}
