package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * All Kubernetes I/O of the probe's awareness: one informer per object set it reads (namespaces and Services by
 * name, the pods of each target Service, the PeerAuthentications of the target and root namespaces), API
 * discovery and the periodic read of the own pod. Never a call per attempt; an API problem becomes a line of
 * {@link ApiHealth}. Watch events only call {@code onChange}; everything else runs on the caller's single thread.
 */
final class ClusterWatches implements ClusterState, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    static final String GROUP = PeerAuthResources.GROUP;
    static final String PLURAL = PeerAuthResources.PLURAL;

    private final KubernetesClient client;
    private final ApiHealth health;
    private final Runnable onChange;
    private final Informers informers;
    private volatile PeerAuthApi peerAuthState = PeerAuthApi.UNKNOWN;
    private volatile String peerAuthApi = "not discovered yet";

    ClusterWatches(KubernetesClient client, ApiHealth health, Runnable onChange) {
        this.client = client;
        this.health = health;
        this.onChange = onChange;
        this.informers = new Informers(health, onChange);
    }

    /** Watches namespaces and Services by name; returns at once. */
    void start(Collection<String> namespaces, Collection<ServiceRef> services) {
        for (String ns : namespaces) {
            informers.watch("namespace/" + ns, "list/watch namespaces (cluster-scoped)",
                    client.namespaces().withName(ns));
        }
        for (ServiceRef s : services) {
            informers.watch("service/" + s.ref(), "list/watch services in namespace " + s.namespace(),
                    client.services().inNamespace(s.namespace()).withName(s.name()));
        }
    }

    /**
     * Reads the own pod (which proves the API answers), finds the PeerAuthentication API if it is not known yet
     * (then watches it in {@code policyNamespaces}), and turns failed watches into problems.
     *
     * @return the own pod, when it could be read
     */
    Optional<Pod> check(String ownNamespace, Optional<String> podName, Collection<String> policyNamespaces) {
        Optional<Pod> own = Optional.empty();
        String what = podName.isPresent() ? "get pods in namespace " + ownNamespace : "get namespaces (cluster-scoped)";
        try {
            if (podName.isPresent()) {
                own = Optional.ofNullable(client.pods().inNamespace(ownNamespace).withName(podName.get()).get());
            } else {
                client.namespaces().withName(ownNamespace).get();
            }
            health.ok("own-pod");
        } catch (KubernetesClientException e) {
            health.fail("own-pod", ApiHealth.classify(what, e));
        }
        if (peerAuthState != PeerAuthApi.SERVED) {
            discover(policyNamespaces);
        }
        informers.checkHealth();
        return own;
    }

    /** Finds the served PeerAuthentication version: v1 if served, else v1beta1 (older Istio). */
    private void discover(Collection<String> policyNamespaces) {
        PeerAuthApi before = peerAuthState;
        try {
            Optional<ResourceDefinitionContext> served = PeerAuthResources.served(client);
            if (served.isPresent()) {
                peerAuthApi = GROUP + "/" + served.get().getVersion();
                peerAuthState = PeerAuthApi.SERVED;
                for (String ns : policyNamespaces) {
                    informers.watch("peerauthentications/" + ns, PeerAuthResources.permission(ns),
                            client.genericKubernetesResources(served.get()).inNamespace(ns));
                }
            } else {
                peerAuthState = PeerAuthApi.NOT_SERVED;
                peerAuthApi = PeerAuthResources.NOT_SERVED;
            }
            health.ok("discovery");
        } catch (KubernetesClientException e) {
            health.fail("discovery", ApiHealth.classify("get /apis/" + GROUP + " (API discovery)", e));
        }
        if (before != peerAuthState) {
            if (peerAuthState == PeerAuthApi.NOT_SERVED) {
                LOG.warnf("PeerAuthentication API %s; the effective mode is reported as Istio's default", peerAuthApi);
            }
            onChange.run();
        }
    }

    /** Watches the pods of exactly these selectors: starts the missing watches, stops those no target needs. */
    void keepPods(Set<PodSelector> selectors) {
        for (PodSelector s : selectors) {
            informers.watch("pods/" + s.key(), "list/watch pods in namespace " + s.namespace(),
                    client.pods().inNamespace(s.namespace()).withLabels(s.labels()));
        }
        informers.keep("pods/", selectors.stream().map(s -> "pods/" + s.key()).collect(Collectors.toSet()));
    }

    @Override
    public Listed<Map<String, String>> namespace(String name) {
        Listed<List<Namespace>> l = informers.listed("namespace/" + name);
        if (!l.synced()) {
            return Listed.pending();
        }
        return Listed.of(l.value().stream().findFirst()
                .map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels())
                .orElse(null));
    }

    @Override
    public Listed<Service> service(ServiceRef ref) {
        Listed<List<Service>> l = informers.listed("service/" + ref.ref());
        return l.synced() ? Listed.of(l.value().stream().findFirst().orElse(null)) : Listed.pending();
    }

    @Override
    public Listed<List<Pod>> pods(String namespace, Map<String, String> selector) {
        return informers.listed("pods/" + new PodSelector(namespace, selector).key());
    }

    @Override
    public PeerAuthApi peerAuthApi() {
        return peerAuthState;
    }

    @Override
    public String peerAuthApiText() {
        return peerAuthApi;
    }

    @Override
    public Listed<List<PeerAuthPolicy>> peerAuthentications(String namespace) {
        Listed<List<GenericKubernetesResource>> l = informers.listed("peerauthentications/" + namespace);
        return l.synced() ? Listed.of(l.value().stream().map(PeerAuthPolicy::of).toList()) : Listed.pending();
    }

    @Override
    public void close() {
        informers.close();
    }
}
