package dev.mtlsprobe.sweep;

import dev.mtlsprobe.config.SweepSettings;
import dev.mtlsprobe.kube.ApiHealth;
import dev.mtlsprobe.kube.Listed;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.Resolver;
import dev.mtlsprobe.probe.TcpProber;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One running sweep: fetch (the watches, created and checked on a planning thread of its own), compose (the
 * pure planner, once per burst of watch events and every check), run (the rounds). The parts, wired.
 */
final class SweepSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    private static final long DEBOUNCE_MILLIS = 200;

    private final Supplier<KubernetesClient> client;
    private final ApiHealth health;
    private final SweepSettings settings;
    private final String root;
    private final Duration checkInterval;
    private final CoverageStore store;
    private final SweepRunner runner;
    private final ScheduledExecutorService planner;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile SweepWatches watches;

    /**
     * @param timeout each check's deadline
     * @param paused  why no round may start now, or null
     */
    SweepSession(Supplier<KubernetesClient> client, ApiHealth health, SweepSettings settings, String root,
            Duration checkInterval, Duration timeout, String version, Supplier<String> paused) {
        this.client = client;
        this.health = health;
        this.settings = settings;
        this.root = root;
        this.checkInterval = checkInterval;
        this.store = new CoverageStore(settings.interval());
        TcpProber prober = new TcpProber(Resolver.SYSTEM, Dialer.DIRECT, timeout, version);
        this.runner = new SweepRunner(settings.interval(), settings.rate(), settings.concurrency(), store,
                (port, e) -> prober.probe(TargetSpec.tcp(port.key(), e.address(), e.targetPort()), port.greeting()),
                paused);
        this.planner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mtls-probe-sweep-plan");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        planner.scheduleWithFixedDelay(guard(this::check), 0, checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        runner.start();
    }

    /** Creates the watches once the client can be had, finds the API, checks the watches, plans. */
    private void check() {
        if (watches == null) {
            KubernetesClient c;
            try {
                c = client.get();
                health.ok("sweep/client");
            } catch (RuntimeException e) { // e.g. an unreadable kubeconfig: tried again next check
                health.fail("sweep/client", ApiHealth.classify("create the Kubernetes client", e));
                return;
            }
            SweepWatches w = new SweepWatches(c, health, settings, root, this::changed);
            w.start();
            watches = w;
        }
        watches.check();
        refresh();
    }

    /** Watch events come in bursts (a list is many adds): plan once per burst. */
    private void changed() {
        if (refreshPending.compareAndSet(false, true)) {
            try {
                planner.schedule(guard(() -> {
                    refreshPending.set(false);
                    refresh();
                }), DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // closing
            }
        }
    }

    private void refresh() {
        SweepWatches w = watches;
        if (w != null) {
            w.keep();
            store.plan(CoveragePlanner.plan(w, root, settings.maxServicePorts(), settings.maxEndpointsPerPort()));
        }
    }

    CoverageStore store() {
        return store;
    }

    /** The namespaces swept now, pending until the API has said which. */
    Listed<List<String>> namespaces() {
        SweepWatches w = watches;
        return w == null ? Listed.pending() : w.namespaces();
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // a bug here must not end the periodic check (an exception would cancel the schedule)
                LOG.errorf(e, "coverage: planning failed unexpectedly");
            }
        };
    }

    @Override
    public void close() {
        runner.close();
        planner.shutdownNow();
        SweepWatches w = watches;
        if (w != null) {
            w.close();
        }
    }
}
