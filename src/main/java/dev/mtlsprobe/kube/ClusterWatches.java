package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * All Kubernetes I/O of the probe: one informer per object set it reads (namespaces and Services by name, the
 * pods of each target Service, the PeerAuthentications of the target and root namespaces), API discovery and
 * the periodic read of the own pod. Never a call per attempt; an API problem becomes a line of {@link ApiHealth}.
 * Watch events only call {@code onChange}; everything else runs on the caller's single thread.
 */
final class ClusterWatches implements ClusterState, AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    static final String GROUP = "security.istio.io";
    static final String PLURAL = "peerauthentications";

    /** One informer and what it needs from RBAC, phrased for the warning when it is missing. */
    private static final class Watched<T extends HasMetadata> {
        final String key;
        final String what;
        final SharedIndexInformer<T> informer;
        volatile Throwable error;

        Watched(String key, String what, SharedIndexInformer<T> informer) {
            this.key = key;
            this.what = what;
            this.informer = informer;
        }

        List<T> items() {
            return informer.getStore().list();
        }
    }

    private final KubernetesClient client;
    private final ApiHealth health;
    private final Runnable onChange;
    private final Map<String, Watched<?>> watches = new ConcurrentHashMap<>();
    private volatile PeerAuthApi peerAuthState = PeerAuthApi.UNKNOWN;
    private volatile String peerAuthApi = "not discovered yet";

    ClusterWatches(KubernetesClient client, ApiHealth health, Runnable onChange) {
        this.client = client;
        this.health = health;
        this.onChange = onChange;
    }

    /** Watches namespaces and Services by name; returns at once. */
    void start(Collection<String> namespaces, Collection<ServiceRef> services) {
        for (String ns : namespaces) {
            watch("namespace/" + ns, "list/watch namespaces (cluster-scoped)", client.namespaces().withName(ns));
        }
        for (ServiceRef s : services) {
            watch("service/" + s.ref(), "list/watch services in namespace " + s.namespace(),
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
        for (Watched<?> w : watches.values()) {
            if (w.informer.isWatching()) {
                w.error = null;
                health.ok(w.key);
            } else if (w.error != null) {
                health.fail(w.key, ApiHealth.classify(w.what, w.error));
            }
        }
        return own;
    }

    /** Finds the served PeerAuthentication version: v1 if served, else v1beta1 (older Istio). */
    private void discover(Collection<String> policyNamespaces) {
        PeerAuthApi before = peerAuthState;
        try {
            for (String version : List.of("v1", "v1beta1")) {
                APIResourceList list = client.getApiResources(GROUP + "/" + version);
                if (list != null && list.getResources() != null
                        && list.getResources().stream().anyMatch(r -> PLURAL.equals(r.getName()))) {
                    ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(GROUP)
                            .withVersion(version).withPlural(PLURAL).withKind("PeerAuthentication").withNamespaced(true)
                            .build();
                    peerAuthApi = GROUP + "/" + version;
                    peerAuthState = PeerAuthApi.SERVED;
                    for (String ns : policyNamespaces) {
                        watch("peerauthentications/" + ns, "list/watch " + PLURAL + "." + GROUP + " in namespace " + ns,
                                client.genericKubernetesResources(context).inNamespace(ns));
                    }
                    break;
                }
            }
            if (peerAuthState != PeerAuthApi.SERVED) {
                peerAuthState = PeerAuthApi.NOT_SERVED;
                peerAuthApi = "not served: the API has no " + PLURAL + " in " + GROUP + " (v1 or v1beta1); is Istio "
                        + "installed?";
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
        Set<String> wanted = new java.util.HashSet<>();
        for (PodSelector s : selectors) {
            wanted.add("pods/" + s.key());
            watch("pods/" + s.key(), "list/watch pods in namespace " + s.namespace(),
                    client.pods().inNamespace(s.namespace()).withLabels(s.labels()));
        }
        for (var it = watches.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().startsWith("pods/") && !wanted.contains(e.getKey())) {
                e.getValue().informer.stop();
                it.remove();
                health.ok(e.getKey());
            }
        }
    }

    private <T extends HasMetadata> void watch(String key, String what, Informable<T> source) {
        if (watches.containsKey(key)) {
            return;
        }
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        Watched<T> w = new Watched<>(key, what, informer);
        informer.exceptionHandler((started, t) -> {
            w.error = t;
            health.fail(key, ApiHealth.classify(what, t));
            return true; // keep trying with back-off: the API or the permission may come back
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        });
        watches.put(key, w);
        informer.start().whenComplete((ok, t) -> onChange.run()); // an empty list has no events
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Listed<List<T>> listed(String key) {
        Watched<T> w = (Watched<T>) watches.get(key);
        return w == null || !w.informer.hasSynced() ? Listed.pending() : Listed.of(w.items());
    }

    @Override
    public Listed<Map<String, String>> namespace(String name) {
        Listed<List<Namespace>> l = listed("namespace/" + name);
        if (!l.synced()) {
            return Listed.pending();
        }
        return Listed.of(l.value().stream().findFirst()
                .map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels())
                .orElse(null));
    }

    @Override
    public Listed<Service> service(ServiceRef ref) {
        Listed<List<Service>> l = listed("service/" + ref.ref());
        return l.synced() ? Listed.of(l.value().stream().findFirst().orElse(null)) : Listed.pending();
    }

    @Override
    public Listed<List<Pod>> pods(String namespace, Map<String, String> selector) {
        return listed("pods/" + new PodSelector(namespace, selector).key());
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
        Listed<List<GenericKubernetesResource>> l = listed("peerauthentications/" + namespace);
        return l.synced() ? Listed.of(l.value().stream().map(PeerAuthPolicy::of).toList()) : Listed.pending();
    }

    @Override
    public void close() {
        watches.values().forEach(w -> w.informer.stop());
        watches.clear();
    }
}
