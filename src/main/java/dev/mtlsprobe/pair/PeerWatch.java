package dev.mtlsprobe.pair;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the peer's status current while someone looks: fetched on a thread of its own every {@code period}, but
 * only while {@code /api/status} was asked for in the last {@value #IDLE_MILLIS} ms, so a pair nobody watches
 * does not poll itself. A failed fetch drops the peer's data at once (state {@code unreachable}): what the page
 * cannot confirm, it does not show. One log line per change of state.
 */
@ApplicationScoped
public class PeerWatch {

    static final long IDLE_MILLIS = 30_000;
    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final ObjectMapper json;
    private final AtomicLong version = new AtomicLong();
    private volatile PeerView view = PeerView.off("starting");
    private volatile long lastDemand;
    private volatile boolean watching;
    private volatile long idleMillis = IDLE_MILLIS;
    private ScheduledExecutorService executor;
    private PeerFetch fetch;
    private String etag;

    public PeerWatch(ObjectMapper json) {
        this.json = json;
    }

    /** No peer: the reason is shown where its row would be. */
    public synchronized void off(String why) {
        publish(PeerView.off(why));
    }

    /**
     * @param maxBytes the largest status the peer can send for the configured targets
     * @param period   time between fetches while someone looks
     */
    public synchronized void start(URI url, Duration timeout, int maxBytes, Duration period, String version) {
        if (executor != null) {
            return;
        }
        fetch = new PeerFetch(url, timeout, maxBytes, "mtls-probe/" + version);
        view = new PeerView(PeerView.WAITING, url.toString(), now(), null, null, null, null);
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mtls-probe-peer");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("the page shows the peer's results from %s", url);
    }

    /** For tests: how long without a look before fetching stops. */
    void idleAfter(long millis) {
        idleMillis = millis;
    }

    /** Someone looks at the status: keep the peer current, and fetch at once if nobody did a moment ago. */
    public void touch() {
        lastDemand = now();
        ScheduledExecutorService e = executor;
        if (!watching && e != null) {
            watching = true;
            e.execute(this::tick);
        }
    }

    public PeerView view() {
        return view;
    }

    /** Grows whenever {@link #view} changes in a way the page must see. */
    public long version() {
        return version.get();
    }

    private void tick() {
        try {
            if (now() - lastDemand > idleMillis) {
                if (watching) {
                    watching = false;
                    etag = null; // when someone looks again, start from a fresh document
                    publish(new PeerView(PeerView.WAITING, view.url(), now(), null, null, null, null));
                }
                return;
            }
            watching = true;
            update(fetch.get(etag));
        } catch (RuntimeException e) {
            // a bug here must not end the schedule (an exception would cancel it)
            LOG.errorf(e, "fetching the peer's status failed unexpectedly");
        }
    }

    private void update(PeerFetch.Result r) {
        long now = now();
        PeerView before = view;
        if (r.notModified() && before.ok()) {
            view = new PeerView(PeerView.OK, before.url(), before.sinceMillis(), now, null, before.fetchedAtMillis(),
                    before.status()); // same data: its age keeps growing from fetchedAtMillis
            return;
        }
        String problem = r.problem();
        PeerStatus status = null;
        if (problem == null && r.body() != null) {
            try {
                status = PeerDocument.parse(r.body(), json);
            } catch (PeerDocument.Invalid e) {
                problem = "its answer is not a probe's status: " + e.getMessage();
            }
        } else if (problem == null) {
            problem = "it answered 304 to a request for a fresh document";
        }
        if (status != null) {
            etag = r.etag();
            long since = before.ok() ? before.sinceMillis() : now;
            publish(new PeerView(PeerView.OK, before.url(), since, now, null, now, status));
            if (!before.ok()) {
                LOG.infof("peer reachable at %s (role %s)", before.url(), status.role());
            }
            return;
        }
        etag = null;
        boolean was = PeerView.UNREACHABLE.equals(before.state());
        if (!was || !problem.equals(before.problem())) {
            publish(new PeerView(PeerView.UNREACHABLE, before.url(), was ? before.sinceMillis() : now,
                    before.lastContactMillis(), problem, null, null));
        }
        if (!was) {
            LOG.warnf("peer unreachable at %s: %s", before.url(), problem);
        }
    }

    private void publish(PeerView next) {
        view = next;
        version.incrementAndGet();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
