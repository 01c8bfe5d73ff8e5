package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.KubeSettings;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.role.PodInfoFile;
import dev.mtlsprobe.role.RoleDetector;
import dev.mtlsprobe.model.RoleState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private ApiHealth health;
    private volatile KubeMetrics metrics;
    private ScheduledExecutorService executor;
    private volatile ClusterView view;
    private ProbeSettings probe;
    private RoleState detected;
    private RoleState published;
    private Consumer<RoleState> roleSink;
    private volatile KubernetesStatus status = KubernetesStatus.off("starting");
    private final java.util.concurrent.atomic.AtomicLong statusVersion = new java.util.concurrent.atomic.AtomicLong();

    public KubeAwareness(Config mpConfig, Instance<KubernetesClient> clients) {
        this.mpConfig = mpConfig;
        this.clients = clients;
    }

    /** Decides, without any network call, whether the features are on. */
    public synchronized void configure(KubeSettings s) {
        if (settings != null) {
            return;
        }
        Optional<String> how = ClusterAccess.how(new ClusterAccess.Sources(
                key -> mpConfig.getOptionalValue(key, String.class).orElse(null), System::getenv,
                System::getProperty, ClusterAccess.SERVICE_ACCOUNT_TOKEN,
                Optional.ofNullable(System.getProperty("user.home")).map(Path::of).orElse(null)));
        if (!s.enabled()) {
            off = "turned off by mtls-probe.kubernetes.enabled=false";
        } else if (s.podNamespace().isEmpty()) {
            off = "not in a pod: POD_NAMESPACE (mtls-probe.kubernetes.pod-namespace) is not set";
        } else if (how.isEmpty()) {
            off = "no Kubernetes API to talk to: no service account token, no kubeconfig, no API server URL";
        }
        settings = s;
        if (off != null) {
            publish(KubernetesStatus.off(off));
            LOG.infof("Kubernetes features off (%s); the role comes from the downward-API files or mtls-probe.role, "
                    + "and no Kubernetes metric is exported", off);
            return;
        }
        access = "pod " + s.podNamespace().get() + "/" + s.podName().orElse("(POD_NAME not set)") + ", API via "
                + how.get();
        health = new ApiHealth();
        metrics = new KubeMetrics();
        publish(new KubernetesStatus(true, access, 0, List.of(), pod(), "not discovered yet", List.of(), List.of()));
        LOG.infof("Kubernetes features on: %s", access);
    }

    public boolean enabled() {
        return settings != null && off == null;
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
            Pod pod = client().pods().inNamespace(ns).withName(settings.podName().get()).get();
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
        this.probe = probe;
        this.detected = role;
        this.published = role;
        this.roleSink = roleSink;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mtls-probe-kube");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::startView);
        executor.scheduleWithFixedDelay(guard("check", () -> {
            if (view == null && !startView()) {
                return;
            }
            view.check();
            refresh();
        }), 0, settings.checkInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.debugf("Kubernetes check every %s", Durations.format(settings.checkInterval()));
    }

    /** Creates the client and starts the watches; a failure (e.g. an unreadable kubeconfig) is retried each check. */
    private boolean startView() {
        if (view != null) {
            return true;
        }
        try {
            ClusterView v = new ClusterView(client(), settings, probe.targets(), health, this::changed);
            v.start();
            view = v;
            health.ok("client");
            return true;
        } catch (RuntimeException e) {
            health.fail("client", ApiHealth.classify("create the Kubernetes client", e));
            return false;
        }
    }

    /** Watch events arrive in bursts (a list is many adds): compute once per burst. */
    private void changed() {
        ScheduledExecutorService e = executor;
        if (e != null && refreshPending.compareAndSet(false, true)) {
            try {
                e.schedule(guard("refresh", this::refresh), DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // shutting down
            }
        }
    }

    private void refresh() {
        refreshPending.set(false);
        ClusterView view = this.view;
        if (view == null) {
            return;
        }
        List<KubernetesStatus.TargetPolicy> policies = new ArrayList<>();
        for (ClusterView.TargetView v : view.compute()) {
            KubernetesStatus.TargetPolicy p = v.policy();
            if (v.known()) {
                metrics.mode(p.target(), p.targetNamespace(), p.mode() == null ? null : MtlsMode.valueOf(p.mode()));
            }
            policies.add(p);
        }
        policies.stream().map(KubernetesStatus.TargetPolicy::targetNamespace).filter(java.util.Objects::nonNull)
                .distinct().filter(view::namespaceKnown)
                .forEach(ns -> metrics.injection(ns, view.namespaceLabels(ns).map(ClusterView::injection).orElse(null)));
        List<String> notes = new ArrayList<>();
        ambient(notes);
        for (KubernetesStatus.TargetPolicy p : policies) {
            if (p.ambient()) {
                notes.add("target " + p.target() + ": namespace " + p.targetNamespace() + " is in the ambient mesh ("
                        + PodFacts.DATAPLANE_MODE + "=ambient): ztunnel, not a sidecar, enforces its PeerAuthentication");
            }
        }
        publish(new KubernetesStatus(true, access, health.up() ? 1 : 0, health.problems(), pod(),
                view.peerAuthenticationApi(), List.copyOf(notes), List.copyOf(policies)));
    }

    /** Re-publishes the role when ambient capture of the own pod starts or stops mattering. */
    private void ambient(List<String> notes) {
        String ns = settings.podNamespace().get();
        Optional<Map<String, String>> nsLabels = view.namespaceLabels(ns);
        if (nsLabels.isEmpty()) {
            return; // not known yet: say nothing rather than guess
        }
        Map<String, String> podLabels = view.ownPod().map(p -> p.getMetadata().getLabels()).map(Map::copyOf)
                .or(this::labelsFile).orElse(Map.of());
        Optional<String> capture = PodFacts.ambientCapture(detected.role(), ns, nsLabels.get(), podLabels);
        capture.ifPresent(notes::add);
        if (capture.isEmpty() && "ambient".equals(nsLabels.get().get(PodFacts.DATAPLANE_MODE))) {
            notes.add("namespace " + ns + " is in the ambient mesh; this pod " + (detected.role()
                    == dev.mtlsprobe.model.Role.SIDECAR ? "has a sidecar, which ambient leaves alone"
                            : "opts out with " + PodFacts.DATAPLANE_MODE + "=none"));
        }
        RoleState now = PodFacts.withAmbient(detected, capture);
        if (!now.equals(published)) {
            published = now;
            roleSink.accept(now);
        }
    }

    private Optional<Map<String, String>> labelsFile() {
        try {
            return probe == null ? Optional.empty() : PodInfoFile.read(probe.labelsFile());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private String pod() {
        KubeSettings s = settings;
        return s == null || s.podNamespace().isEmpty() ? null
                : s.podNamespace().get() + "/" + s.podName().orElse("(unknown)");
    }

    public KubernetesStatus status() {
        return status;
    }

    /** Grows whenever {@link #status} changes. */
    public java.util.Optional<KubeSeries> series() {
        KubeMetrics m = metrics;
        return m == null || !enabled() ? java.util.Optional.empty() : java.util.Optional.of(m.snapshot(health.up()));
    }

    public long statusVersion() {
        return statusVersion.get();
    }

    private void publish(KubernetesStatus next) {
        if (!next.equals(status)) {
            status = next;
            statusVersion.incrementAndGet();
        }
    }

    private KubernetesClient client() {
        return clients.get();
    }

    private Runnable guard(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // a bug here must not end the periodic check (an exception would cancel the schedule)
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
        if (view != null) {
            view.close();
        }
    }
}
