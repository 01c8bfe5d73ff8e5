package dev.mtlsprobe.kube;

import static org.awaitility.Awaitility.await;

import dev.mtlsprobe.model.TargetSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The probe's watches and composition against an API server, for one set of targets, as the probe runs them. */
final class Watching implements AutoCloseable {

    final ApiHealth health = new ApiHealth();
    final ClusterWatches watches;
    private final String ownNamespace;
    private final String root;
    private final List<TargetSpec> targets;
    private final Map<String, ServiceRef.Parsed> refs = new LinkedHashMap<>();

    Watching(KubernetesClient client, String ownNamespace, String root, List<TargetSpec> targets) {
        this.ownNamespace = ownNamespace;
        this.root = root;
        this.targets = targets;
        this.watches = new ClusterWatches(client, health, () -> { });
        Set<String> namespaces = new LinkedHashSet<>(List.of(ownNamespace));
        for (TargetSpec t : targets) {
            ServiceRef.Parsed p = ServiceRef.parse(t.host(), ownNamespace, "cluster.local");
            refs.put(t.name(), p);
            if (p.found()) {
                namespaces.add(p.service().namespace());
            }
        }
        watches.start(namespaces, refs.values().stream().filter(ServiceRef.Parsed::found)
                .map(ServiceRef.Parsed::service).toList());
    }

    /** One periodic check, as the probe runs it. */
    void check() {
        Set<String> policy = new LinkedHashSet<>(List.of(root));
        refs.values().stream().filter(ServiceRef.Parsed::found).forEach(p -> policy.add(p.service().namespace()));
        watches.check(ownNamespace, java.util.Optional.empty(), policy);
    }

    /** One composition, keeping the pod watches it asks for. */
    TargetViews.TargetView view() {
        TargetViews.Composition c = TargetViews.compose(targets, refs, root, watches);
        watches.keepPods(c.pods());
        return c.views().get(0);
    }

    /** Checks and composes until the first target's view is final. */
    TargetViews.TargetView known() {
        check();
        TargetViews.TargetView[] out = new TargetViews.TargetView[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            out[0] = view();
            return out[0].known();
        });
        return out[0];
    }

    @Override
    public void close() {
        watches.close();
    }
}
