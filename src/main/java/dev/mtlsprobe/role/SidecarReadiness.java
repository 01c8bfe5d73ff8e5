package dev.mtlsprobe.role;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.HttpProber;
import dev.mtlsprobe.probe.Prober;
import dev.mtlsprobe.probe.Resolver;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Polls the pod's own sidecar ({@code :15021/healthz/ready}) in the sidecar role. While it is not ready,
 * sidecar attempts are inconclusive: a pod starting or stopping must never page anyone.
 */
@ApplicationScoped
public class SidecarReadiness {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private static final long POLL_MILLIS = 200;

    private final AtomicInteger ready = new AtomicInteger();
    private volatile TargetSpec endpoint;
    private volatile Prober prober;
    private volatile boolean polled;
    private volatile boolean watching;

    /** Starts watching the given endpoint; polls once right away so the first attempt knows. */
    public void watch(URI readyUrl, String version) {
        watching = true;
        prober = new HttpProber(Resolver.SYSTEM, Dialer.DIRECT, Duration.ofSeconds(1), version);
        // The HTTP prober GETs it like any target; only the status matters, there is no echo to read.
        int port = readyUrl.getPort() == -1 ? 80 : readyUrl.getPort();
        String path = readyUrl.getRawPath() == null || readyUrl.getRawPath().isEmpty() ? "/" : readyUrl.getRawPath();
        endpoint = new TargetSpec("sidecar-ready", readyUrl.toString(), "https".equals(readyUrl.getScheme()),
                readyUrl.getHost(), port, path, false, java.util.Optional.empty(), java.util.Optional.empty());
        poll();
    }

    /**
     * Polls until the sidecar is ready or {@code max} has passed, for a one-shot check that must not spend its few
     * attempts while its own sidecar is still starting.
     *
     * @return whether it is ready
     */
    public boolean awaitReady(Duration max) {
        long end = System.nanoTime() + max.toNanos();
        while (!ready() && endpoint != null && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            poll();
        }
        return ready();
    }

    public boolean ready() {
        return ready.get() == 1;
    }

    /** Whether the sidecar is ready, or empty when there is no sidecar to watch (the naked role). */
    public java.util.Optional<Boolean> state() {
        return watching ? java.util.Optional.of(ready()) : java.util.Optional.empty();
    }

    @Scheduled(every = "2s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void poll() { // the scheduler and a waiting check may poll at once
        TargetSpec e = endpoint;
        if (e == null) {
            return; // naked role: nothing to poll
        }
        AttemptResult r = prober.probe(e);
        int now = r.httpStatus() == 200 ? 1 : 0;
        int before = ready.getAndSet(now);
        if (before != now || !polled) {
            polled = true;
            if (now == 1) {
                LOG.infof("sidecar ready (%s)", e.url());
            } else {
                LOG.warnf("sidecar not ready (%s): %s; sidecar attempts are inconclusive until it is", e.url(),
                        r.httpStatus() == 0 ? r.reason() : "HTTP " + r.httpStatus());
            }
        }
    }
}
