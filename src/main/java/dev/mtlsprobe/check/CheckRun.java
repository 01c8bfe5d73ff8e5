package dev.mtlsprobe.check;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Judgement;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.pipeline.Verdicts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a check: N attempts per (role, target) lane through the lane's own prober, each judged by {@link Verdicts}
 * exactly as the service judges it. Lanes run side by side; within a lane the attempts run one after another, so a
 * target never sees two of them at once, and each is one new connection.
 */
public final class CheckRun {

    /** Lanes probed at once; more wait their turn (the bound below counts the rounds). */
    static final int PARALLEL = 16;
    /** Beyond the attempt's own timeout: thread start, DNS cache, the watchdog's tick. */
    static final Duration GRACE = Duration.ofSeconds(1);

    private CheckRun() {
    }

    private record Cell(Lane lane, TargetSpec target, List<Attempt> done) {
    }

    /**
     * @param timeout the attempt timeout the probers were built with: every prober ends its attempt by it, and
     *                the run is bounded by it all the same, so a broken prober cannot hold the check open
     * @param role    the role of this process, for the result (empty for a simulated mesh's lanes)
     */
    public static CheckResult run(List<Lane> lanes, List<TargetSpec> targets, int attempts, Duration timeout,
            Optional<RoleState> role) {
        List<Cell> cells = new ArrayList<>();
        for (Lane lane : lanes) {
            for (TargetSpec target : targets) {
                cells.add(new Cell(lane, target, Collections.synchronizedList(new ArrayList<>())));
            }
        }
        long startedAtMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        int threads = Math.max(1, Math.min(PARALLEL, cells.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemons());
        try {
            List<Future<?>> running = cells.stream().<Future<?>>map(c -> pool.submit(() -> attempts(c, attempts)))
                    .toList();
            int rounds = (cells.size() + threads - 1) / threads;
            long deadline = start + timeout.plus(GRACE).multipliedBy((long) attempts * rounds).toNanos();
            for (Future<?> f : running) {
                await(f, deadline);
            }
        } finally {
            pool.shutdownNow();
        }
        List<LaneResult> results = cells.stream().map(c -> result(c, attempts, timeout)).toList();
        return new CheckResult(role, attempts, results, startedAtMillis, System.nanoTime() - start);
    }

    private static void attempts(Cell cell, int attempts) {
        Attempt previous = null;
        for (int i = 0; i < attempts && !Thread.currentThread().isInterrupted(); i++) {
            AttemptResult r = cell.lane().prober().probe(cell.target());
            Judgement j = Verdicts.judge(cell.lane().role(), r, cell.target(), cell.lane().sidecarReady().getAsBoolean());
            Attempt a = new Attempt(cell.lane().role(), cell.target(), r, j,
                    previous == null ? null : previous.result().outcome(), previous == null ? null : previous.verdict());
            cell.done().add(a);
            previous = a;
        }
    }

    private static void await(Future<?> f, long deadlineNanos) {
        try {
            f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the lane's missing attempts are recorded below; the exception itself is a broken prober's
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The lane's attempts, and for every attempt that did not end in time a timeout judged like any other. */
    private static LaneResult result(Cell cell, int attempts, Duration timeout) {
        List<Attempt> done;
        synchronized (cell.done()) {
            done = new ArrayList<>(cell.done());
        }
        while (done.size() < attempts) {
            AttemptResult late = AttemptResult.of(Outcome.TIMEOUT, "the attempt did not end within the check's bound "
                    + "(timeout " + timeout.toMillis() + " ms per attempt)", System.currentTimeMillis(), 0);
            Judgement j = Verdicts.judge(cell.lane().role(), late, cell.target(), cell.lane().sidecarReady().getAsBoolean());
            Attempt previous = done.isEmpty() ? null : done.get(done.size() - 1);
            done.add(new Attempt(cell.lane().role(), cell.target(), late, j,
                    previous == null ? null : previous.result().outcome(), previous == null ? null : previous.verdict()));
        }
        return new LaneResult(cell.lane().role(), cell.target(), done);
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mtls-probe-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
