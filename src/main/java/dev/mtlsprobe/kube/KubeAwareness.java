package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.KubeSettings;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.role.RoleDetector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * What the probe learns from the Kubernetes API: its own pod (role, labels), the effective PeerAuthentication
 * of each target, the targets' namespace injection state and Istio ambient capture. Everything runs on one
 * thread of its own, from watches; the probe loop never waits for it, and an API that is down or forbidden
 * only stops this part (with one warning per problem), never the probing.
 */
@ApplicationScoped
public class KubeAwareness {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    private static final long DEBOUNCE_MILLIS = 100;

    private final Config mpConfig;
    private final Instance<KubernetesClient> clients;
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private volatile KubeSettings settings;
    private volatile String off;
    private volatile String access;
    private volatile ApiHealth health;
    private volatile KubePublisher publisher = new KubePublisher(KubernetesStatus.off("starting"));
    private ScheduledExecutorService executor;
    private volatile KubeSession session;

    public KubeAwareness(Config mpConfig, Instance<KubernetesClient> clients) {
        this.mpConfig = mpConfig;
        this.clients = clients;
    }

    /** Decides, without any network call, whether the features are on. */
    public synchronized void configure(KubeSettings s) {
        if (settings != null) {
            return;
        }
        ClusterAccess.Decision d = ClusterAccess.decide(s, new ClusterAccess.Sources(
                key -> mpConfig.getOptionalValue(key, String.class).orElse(null), System::getenv,
                System::getProperty, ClusterAccess.SERVICE_ACCOUNT_TOKEN,
                Optional.ofNullable(System.getProperty("user.home")).map(Path::of).orElse(null)));
        settings = s;
        if (!d.on()) {
            off = d.text();
            publisher = new KubePublisher(KubernetesStatus.off(off));
            LOG.infof("Kubernetes features off (%s); the role comes from the downward-API files or mtls-probe.role, "
                    + "and no Kubernetes metric is exported", off);
            return;
        }
        access = d.text();
        health = new ApiHealth();
        publisher = new KubePublisher(new KubernetesStatus(true, access, 0, List.of(), pod(s), "not discovered yet",
                List.of(), List.of()));
        LOG.infof("Kubernetes features on: %s", access);
    }

    public boolean enabled() {
        return settings != null && off == null;
    }

    /** Why the features are off, or how the API is reached. */
    public String access() {
        return enabled() ? access : off == null ? "not configured yet" : off;
    }

    /** The API health that {@code mtls_probe_kube_api_up} reports; other watchers add their problems to it. */
    public Optional<ApiHealth> health() {
        return enabled() ? Optional.of(health) : Optional.empty();
    }

    /**
     * Reads the own pod once, for role detection at startup (only asked when there is no downward-API file).
     * Empty when the features are off, the pod name is unknown or the API cannot say (the reason is logged).
     */
    public Optional<RoleDetector.ApiPod> ownPod() {
        if (!enabled() || settings.podName().isEmpty()) {
            return Optional.empty();
        }
        String ns = settings.podNamespace().get();
        try {
            Pod pod = clients.get().pods().inNamespace(ns).withName(settings.podName().get()).get();
            health.ok("own-pod");
            if (pod == null) {
                LOG.warnf("the own pod %s/%s does not exist in the Kubernetes API; check POD_NAME "
                        + "(mtls-probe.kubernetes.pod-name)", ns, settings.podName().get());
                return Optional.empty();
            }
            PodFacts.sidecarEvidence(pod).ifPresent(e -> LOG.debugf("own pod has a sidecar: %s", e));
            return Optional.of(PodFacts.apiPod(pod));
        } catch (RuntimeException e) { // the API's answer, or a client that cannot even be built
            health.fail("own-pod", ApiHealth.classify("get pods in namespace " + ns, e));
            return Optional.empty();
        }
    }

    /**
     * Starts watching, on a thread of its own, and returns at once.
     *
     * @param role     the role as detected at startup
     * @param roleSink receives the role again when Istio ambient changes what it means
     */
    public synchronized void start(ProbeSettings probe, RoleState role, Consumer<RoleState> roleSink) {
        if (!enabled() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mtls-probe-kube");
            t.setDaemon(true);
            return t;
        });
        KubeSession s = new KubeSession(settings, probe, health, publisher, access, role, roleSink, this::changed);
        session = s;
        executor.execute(guard("start", () -> s.start(clients::get)));
        executor.scheduleWithFixedDelay(guard("check", () -> s.check(clients::get)), 0,
                settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debugf("Kubernetes check every %s", Durations.format(settings.checkInterval()));
    }

    /** Watch events arrive in bursts (a list is many adds): compute once per burst. */
    private void changed() {
        ScheduledExecutorService e = executor;
        if (e != null && refreshPending.compareAndSet(false, true)) {
            try {
                e.schedule(guard("refresh", () -> {
                    refreshPending.set(false);
                    session.refresh();
                }), DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // shutting down
            }
        }
    }

    static String pod(KubeSettings s) {
        return s == null || s.podNamespace().isEmpty() ? null
                : s.podNamespace().get() + "/" + s.podName().orElse("(unknown)");
    }

    public KubernetesStatus status() {
        return publisher.status();
    }

    /** The Kubernetes series, or empty when the features are off (outside a cluster they would be made up). */
    public Optional<KubeSeries> series() {
        return enabled() ? Optional.of(publisher.series(health.up())) : Optional.empty();
    }

    /** Grows whenever {@link #status} changes. */
    public long statusVersion() {
        return publisher.version();
    }


    private Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | LinkageError e) {
                // Nothing may end the periodic check: an exception or error escaping a scheduled task cancels the
                // schedule without a word, and the Kubernetes view would freeze for the life of the pod.
                LOG.errorf(e, "Kubernetes %s failed unexpectedly", what);
            }
        };
    }

    void onStop(@Observes ShutdownEvent event) {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
        }
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }
        if (session != null) {
            session.close();
        }
    }
}
