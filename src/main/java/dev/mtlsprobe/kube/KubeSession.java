package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.KubeSettings;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.role.PodInfoFile;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One running view of the cluster: fetch (the watches), compose (pure), publish. Runs on the Kubernetes thread
 * only; {@link #changed} is what watch events trigger.
 */
final class KubeSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private final KubeSettings settings;
    private final ProbeSettings probe;
    private final ApiHealth health;
    private final KubePublisher publisher;
    private final String access;
    private final RoleState detected;
    private final Consumer<RoleState> roleSink;
    private final Runnable changed;
    private final Map<String, ServiceRef.Parsed> refs = new LinkedHashMap<>();
    private ClusterWatches watches;
    private Pod ownPod;
    private boolean ownPodMissing;

    /** @param changed schedules a {@link #refresh} soon; watch events call it */
    KubeSession(KubeSettings settings, ProbeSettings probe, ApiHealth health, KubePublisher publisher, String access,
            RoleState detected, Consumer<RoleState> roleSink, Runnable changed) {
        this.settings = settings;
        this.probe = probe;
        this.health = health;
        this.publisher = publisher;
        this.access = access;
        this.detected = detected;
        this.roleSink = roleSink;
        this.changed = changed;
        for (TargetSpec t : probe.targets()) {
            refs.put(t.name(), ServiceRef.parse(t.host(), settings.podNamespace().orElseThrow(), settings.clusterDomain()));
        }
    }

    /** Creates the client and starts the watches; a failure (e.g. an unreadable kubeconfig) is retried each check. */
    boolean start(Supplier<KubernetesClient> client) {
        if (watches != null) {
            return true;
        }
        try {
            ClusterWatches w = new ClusterWatches(client.get(), health, changed);
            Set<String> namespaces = new LinkedHashSet<>(List.of(settings.podNamespace().get()));
            List<ServiceRef> services = services().toList();
            services.forEach(s -> namespaces.add(s.namespace()));
            w.start(namespaces, services);
            watches = w;
            health.ok("client");
            return true;
        } catch (RuntimeException | LinkageError e) {
            health.fail("client", ApiHealth.classify("create the Kubernetes client", e));
            return false;
        }
    }

    /** The periodic check: the own pod, API discovery, watch health; then a refresh. */
    void check(Supplier<KubernetesClient> client) {
        if (!start(client)) {
            return;
        }
        Set<String> policyNamespaces = new LinkedHashSet<>(List.of(settings.rootNamespace()));
        services().forEach(s -> policyNamespaces.add(s.namespace()));
        Optional<Pod> pod = watches.check(settings.podNamespace().get(), settings.podName(), policyNamespaces);
        boolean missing = settings.podName().isPresent() && pod.isEmpty() && health.up();
        if (missing && !ownPodMissing) {
            LOG.warnf("the own pod %s/%s does not exist in the Kubernetes API; check POD_NAME "
                    + "(mtls-probe.kubernetes.pod-name)", settings.podNamespace().get(), settings.podName().get());
        }
        ownPodMissing = missing;
        pod.ifPresent(p -> ownPod = p);
        refresh();
    }

    /** Compose the views from the caches (pure), keep exactly the pod watches they need, publish. */
    void refresh() {
        if (watches == null) {
            return;
        }
        TargetViews.Composition c = TargetViews.compose(probe.targets(), refs, settings.rootNamespace(), watches);
        watches.keepPods(c.pods());
        Map<String, String> ownLabels = Optional.ofNullable(ownPod).map(p -> p.getMetadata().getLabels())
                .map(Map::copyOf).or(this::labelsFile).orElse(Map.of());
        KubernetesStatus base = new KubernetesStatus(true, access, health.up() ? 1 : 0, health.problems(),
                KubeAwareness.pod(settings), null, List.of(), List.of());
        publisher.publish(c, watches, base, settings.podNamespace().get(), ownLabels, detected, roleSink);
    }

    private java.util.stream.Stream<ServiceRef> services() {
        return refs.values().stream().filter(ServiceRef.Parsed::found).map(ServiceRef.Parsed::service);
    }

    private Optional<Map<String, String>> labelsFile() {
        try {
            return PodInfoFile.read(probe.labelsFile());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        if (watches != null) {
            watches.close();
        }
    }
}
