package dev.mtlsprobe.sweep;

import dev.mtlsprobe.config.SweepSettings;
import dev.mtlsprobe.kube.ApiHealth;
import dev.mtlsprobe.kube.Informers;
import dev.mtlsprobe.kube.Listed;
import dev.mtlsprobe.kube.PeerAuthPolicy;
import dev.mtlsprobe.kube.PeerAuthResources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * All Kubernetes I/O of the sweep: informers on the swept namespaces (by name, or by the selector) and, in each,
 * on its Services, EndpointSlices, pods and PeerAuthentications, plus the root namespace's PeerAuthentications.
 * Nothing cluster-wide unless a selector asks for the namespaces. Runs on the sweep's planning thread; watch
 * events only call {@code onChange}. Problems go to the probe's {@link ApiHealth} (so to
 * {@code mtls_probe_kube_api_up}), each logged once.
 */
final class SweepWatches implements SweepState, AutoCloseable {

    private static final String P = "sweep/";
    private static final String SELECTED = P + "selected-namespaces";

    private final KubernetesClient client;
    private final ApiHealth health;
    private final SweepSettings settings;
    private final String root;
    private final Informers informers;
    private volatile ResourceDefinitionContext peerAuth;
    private volatile boolean istioMissing;

    SweepWatches(KubernetesClient client, ApiHealth health, SweepSettings settings, String root, Runnable onChange) {
        this.client = client;
        this.health = health;
        this.settings = settings;
        this.root = root;
        this.informers = new Informers(health, onChange);
    }

    /** Starts the namespace informers; returns at once. */
    void start() {
        for (String ns : settings.namespaces()) {
            informers.watch(P + "namespace/" + ns, "list/watch namespaces (cluster-scoped)",
                    client.namespaces().withName(ns));
        }
        if (!settings.namespaceSelector().isEmpty()) {
            informers.watch(SELECTED, "list/watch namespaces (cluster-scoped, by label)",
                    client.namespaces().withLabels(settings.namespaceSelector()));
        }
    }

    /** Finds the PeerAuthentication API until it is known, turns failed watches into problems. */
    void check() {
        if (peerAuth == null) {
            try {
                Optional<ResourceDefinitionContext> served = PeerAuthResources.served(client);
                peerAuth = served.orElse(null);
                istioMissing = served.isEmpty();
                health.ok(P + "discovery");
            } catch (KubernetesClientException e) {
                health.fail(P + "discovery", ApiHealth.classify("get /apis/security.istio.io (API discovery)", e));
            }
        }
        informers.checkHealth();
    }

    /** Keeps the informers of exactly the namespaces swept now. */
    void keep() {
        Set<String> wanted = new HashSet<>();
        Listed<List<String>> selected = namespaces();
        List<String> namespaces = new ArrayList<>(selected.synced() ? selected.value() : settings.namespaces());
        ResourceDefinitionContext pa = peerAuth;
        if (pa != null) {
            wanted.add(P + "in/" + root + "/peerauthentications");
            informers.watch(P + "in/" + root + "/peerauthentications", PeerAuthResources.permission(root),
                    client.genericKubernetesResources(pa).inNamespace(root));
        }
        for (String ns : namespaces) {
            String k = P + "in/" + ns + "/";
            informers.watch(k + "services", "list/watch services in namespace " + ns,
                    client.services().inNamespace(ns));
            informers.watch(k + "endpointslices", "list/watch endpointslices.discovery.k8s.io in namespace " + ns,
                    client.discovery().v1().endpointSlices().inNamespace(ns));
            informers.watch(k + "pods", "list/watch pods in namespace " + ns, client.pods().inNamespace(ns));
            wanted.addAll(List.of(k + "services", k + "endpointslices", k + "pods"));
            if (pa != null) {
                informers.watch(k + "peerauthentications", PeerAuthResources.permission(ns),
                        client.genericKubernetesResources(pa).inNamespace(ns));
                wanted.add(k + "peerauthentications");
            }
        }
        informers.keep(P + "in/", wanted);
    }

    @Override
    public Listed<List<String>> namespaces() {
        Set<String> out = new TreeSet<>(settings.namespaces());
        if (!settings.namespaceSelector().isEmpty()) {
            Listed<List<Namespace>> l = informers.listed(SELECTED);
            if (!l.synced()) {
                return Listed.pending();
            }
            l.value().forEach(n -> out.add(n.getMetadata().getName()));
        }
        return Listed.of(List.copyOf(out));
    }

    @Override
    public Listed<Map<String, String>> namespaceLabels(String namespace) {
        Listed<List<Namespace>> l = informers.listed(settings.namespaces().contains(namespace)
                ? P + "namespace/" + namespace : SELECTED);
        if (!l.synced()) {
            return Listed.pending();
        }
        return Listed.of(l.value().stream().filter(n -> n.getMetadata().getName().equals(namespace)).findFirst()
                .map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels())
                .orElse(null));
    }

    @Override
    public Listed<List<Service>> services(String namespace) {
        return informers.listed(P + "in/" + namespace + "/services");
    }

    @Override
    public Listed<List<EndpointSlice>> endpointSlices(String namespace) {
        return informers.listed(P + "in/" + namespace + "/endpointslices");
    }

    @Override
    public Listed<List<Pod>> pods(String namespace) {
        return informers.listed(P + "in/" + namespace + "/pods");
    }

    @Override
    public Expectations.Policies policies(String namespace) {
        if (istioMissing) {
            return new Expectations.Policies(List.of(), PeerAuthResources.NOT_SERVED);
        }
        if (peerAuth == null) {
            return Expectations.Policies.unknown("waiting for the Kubernetes API (API discovery)");
        }
        List<PeerAuthPolicy> out = new ArrayList<>();
        for (String ns : new TreeSet<>(List.of(namespace, root))) {
            Listed<List<GenericKubernetesResource>> l = informers.listed(P + "in/" + ns + "/peerauthentications");
            if (!l.synced()) {
                return Expectations.Policies.unknown("waiting for the Kubernetes API (PeerAuthentications in " + ns
                        + ")");
            }
            l.value().forEach(r -> out.add(PeerAuthPolicy.of(r)));
        }
        return new Expectations.Policies(out, "");
    }

    @Override
    public void close() {
        informers.close();
    }
}
