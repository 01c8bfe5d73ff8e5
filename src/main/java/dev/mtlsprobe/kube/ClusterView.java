package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.KubeSettings;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.kube.KubernetesStatus.TargetPolicy;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The slice of the cluster the probe needs, kept current by watches (informers), never by a call per attempt:
 * the namespaces of the targets and of the probe, each target's Service and the pods it selects, and the
 * PeerAuthentications of the target namespaces and the root namespace. Not thread-safe: one thread calls
 * {@link #start}, {@link #check} and {@link #compute}; watch events only call {@code onChange}.
 */
final class ClusterView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");
    static final String GROUP = "security.istio.io";
    static final String PLURAL = "peerauthentications";
    static final String INJECTION_LABEL = "istio-injection";
    static final String REVISION_LABEL = "istio.io/rev";

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

        boolean synced() {
            return informer.hasSynced();
        }
    }

    /** A target's view and whether it is final (false while the watches it needs have not listed yet). */
    record TargetView(TargetSpec target, TargetPolicy policy, boolean known) {
    }

    private enum PeerAuthApi { UNKNOWN, SERVED, NOT_SERVED }

    private final KubernetesClient client;
    private final KubeSettings settings;
    private final String ownNamespace;
    private final List<TargetSpec> targets;
    private final Map<String, ServiceRef.Parsed> refs = new LinkedHashMap<>();
    private final ApiHealth health;
    private final Runnable onChange;
    private final Map<String, Watched<?>> watches = new ConcurrentHashMap<>();
    private volatile PeerAuthApi peerAuthState = PeerAuthApi.UNKNOWN;
    private volatile ResourceDefinitionContext peerAuth;
    private volatile String peerAuthApi = "not discovered yet";
    private volatile Pod ownPod;
    private boolean ownPodMissing;

    ClusterView(KubernetesClient client, KubeSettings settings, List<TargetSpec> targets, ApiHealth health,
            Runnable onChange) {
        this.client = client;
        this.settings = settings;
        this.ownNamespace = settings.podNamespace().orElseThrow();
        this.targets = List.copyOf(targets);
        this.health = health;
        this.onChange = onChange;
        for (TargetSpec t : targets) {
            refs.put(t.name(), ServiceRef.parse(t.host(), ownNamespace, settings.clusterDomain()));
        }
    }

    /** Starts the watches that do not depend on what the API says; returns at once. */
    void start() {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(ownNamespace);
        for (ServiceRef.Parsed p : refs.values()) {
            if (p.found()) {
                namespaces.add(p.service().namespace());
            }
        }
        for (String ns : namespaces) {
            watch("namespace/" + ns, "list/watch namespaces (cluster-scoped)", client.namespaces().withName(ns));
        }
        for (ServiceRef.Parsed p : refs.values()) {
            if (p.found()) {
                ServiceRef s = p.service();
                watch("service/" + s.ref(), "list/watch services in namespace " + s.namespace(),
                        client.services().inNamespace(s.namespace()).withName(s.name()));
            }
        }
    }

    /**
     * The periodic check: reads the own pod (which proves the API answers and refreshes its labels), finds
     * the PeerAuthentication API if it is not known yet, and turns failed watches into problems.
     */
    void check() {
        Optional<String> podName = settings.podName();
        String what = podName.isPresent() ? "get pods in namespace " + ownNamespace : "get namespaces (cluster-scoped)";
        try {
            if (podName.isPresent()) {
                Pod pod = client.pods().inNamespace(ownNamespace).withName(podName.get()).get();
                if (pod == null && !ownPodMissing) {
                    LOG.warnf("the own pod %s/%s does not exist in the Kubernetes API; check POD_NAME "
                            + "(mtls-probe.kubernetes.pod-name)", ownNamespace, podName.get());
                }
                ownPodMissing = pod == null;
                if (pod != null) {
                    ownPod = pod;
                }
            } else {
                client.namespaces().withName(ownNamespace).get();
            }
            health.ok("own-pod");
        } catch (KubernetesClientException e) {
            health.fail("own-pod", ApiHealth.classify(what, e));
        }
        if (peerAuthState != PeerAuthApi.SERVED) {
            discover();
        }
        for (Watched<?> w : watches.values()) {
            if (w.informer.isWatching()) {
                w.error = null;
                health.ok(w.key);
            } else if (w.error != null) {
                health.fail(w.key, ApiHealth.classify(w.what, w.error));
            }
        }
    }

    /** Finds the served PeerAuthentication version: v1 if served, else v1beta1 (older Istio). */
    private void discover() {
        PeerAuthApi before = peerAuthState;
        try {
            for (String version : List.of("v1", "v1beta1")) {
                APIResourceList list = client.getApiResources(GROUP + "/" + version);
                if (list != null && list.getResources() != null
                        && list.getResources().stream().anyMatch(r -> PLURAL.equals(r.getName()))) {
                    peerAuth = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version)
                            .withPlural(PLURAL).withKind("PeerAuthentication").withNamespaced(true).build();
                    peerAuthApi = GROUP + "/" + version;
                    peerAuthState = PeerAuthApi.SERVED;
                    startPeerAuthWatches();
                    break;
                }
            }
            if (peerAuthState != PeerAuthApi.SERVED) {
                peerAuthState = PeerAuthApi.NOT_SERVED;
                peerAuthApi = "not served: the API has no peerauthentications in " + GROUP
                        + " (v1 or v1beta1); is Istio installed?";
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

    private void startPeerAuthWatches() {
        Set<String> namespaces = new LinkedHashSet<>();
        namespaces.add(settings.rootNamespace());
        refs.values().stream().filter(ServiceRef.Parsed::found).forEach(p -> namespaces.add(p.service().namespace()));
        for (String ns : namespaces) {
            watch("peerauthentications/" + ns, "list/watch " + PLURAL + "." + GROUP + " in namespace " + ns,
                    client.genericKubernetesResources(peerAuth).inNamespace(ns));
        }
    }

    private <T extends HasMetadata> Watched<T> watch(String key, String what, Informable<T> source) {
        @SuppressWarnings("unchecked")
        Watched<T> existing = (Watched<T>) watches.get(key);
        if (existing != null) {
            return existing;
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
        return w;
    }

    private Optional<Watched<?>> watched(String key) {
        return Optional.ofNullable(watches.get(key));
    }

    Optional<Pod> ownPod() {
        return Optional.ofNullable(ownPod);
    }

    /** Labels of a watched namespace, empty when it is unknown or absent. */
    Optional<Map<String, String>> namespaceLabels(String ns) {
        return watched("namespace/" + ns).filter(Watched::synced)
                .flatMap(w -> w.items().stream().findFirst())
                .map(n -> n.getMetadata().getLabels() == null ? Map.<String, String>of() : n.getMetadata().getLabels());
    }

    /** True once the namespace's watch has listed (it may have found that the namespace does not exist). */
    boolean namespaceKnown(String ns) {
        return watched("namespace/" + ns).map(Watched::synced).orElse(false);
    }

    static boolean injection(Map<String, String> namespaceLabels) {
        return "enabled".equals(namespaceLabels.get(INJECTION_LABEL)) || namespaceLabels.containsKey(REVISION_LABEL);
    }

    String peerAuthenticationApi() {
        return peerAuthApi;
    }

    /** Computes every target's view from the watch caches, and stops pod watches no target needs any more. */
    List<TargetView> compute() {
        Set<String> podWatches = new LinkedHashSet<>();
        List<TargetView> out = new ArrayList<>();
        for (TargetSpec t : targets) {
            out.add(compute(t, podWatches));
        }
        for (var it = watches.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().startsWith("pods/") && !podWatches.contains(e.getKey())) {
                e.getValue().informer.stop();
                it.remove();
                health.ok(e.getKey());
            }
        }
        return out;
    }

    private TargetView compute(TargetSpec t, Set<String> podWatches) {
        ServiceRef.Parsed parsed = refs.get(t.name());
        if (!parsed.found()) {
            return new TargetView(t, new TargetPolicy(t.name(), null, null, null, null, null, List.of(), null, false,
                    parsed.problem() + "; no PeerAuthentication can be attributed to it"), true);
        }
        ServiceRef ref = parsed.service();
        String ns = ref.namespace();
        Optional<Map<String, String>> nsLabels = namespaceLabels(ns);
        boolean nsKnown = namespaceKnown(ns);
        Boolean injection = nsLabels.map(ClusterView::injection).orElse(null);
        boolean ambient = nsLabels.map(l -> "ambient".equals(l.get(PodFacts.DATAPLANE_MODE))).orElse(false);
        Function<String, TargetPolicy> noMode = reason -> new TargetPolicy(t.name(), ref.ref(), ns, null, null, null,
                List.of(), injection, ambient, reason);

        Watched<?> services = watches.get("service/" + ref.ref());
        if (services == null || !services.synced()) {
            return new TargetView(t, noMode.apply("waiting for the Kubernetes API (Service " + ref.ref() + ")"), false);
        }
        Optional<Service> service = services.items().stream().map(Service.class::cast).findFirst();
        if (service.isEmpty()) {
            String reason = "Service " + ref.ref() + " not found" + (nsKnown && nsLabels.isEmpty()
                    ? " (namespace " + ns + " does not exist)" : "");
            return new TargetView(t, noMode.apply(reason), true);
        }
        Map<String, String> selector = service.get().getSpec() == null || service.get().getSpec().getSelector() == null
                ? Map.of() : new TreeMap<>(service.get().getSpec().getSelector());
        List<Pod> pods = List.of();
        if (!selector.isEmpty()) {
            String key = "pods/" + ns + "/" + selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(","));
            podWatches.add(key);
            Watched<Pod> w = watch(key, "list/watch pods in namespace " + ns,
                    client.pods().inNamespace(ns).withLabels(selector));
            if (!w.synced()) {
                return new TargetView(t, noMode.apply("waiting for the Kubernetes API (pods of " + ref.ref() + ")"),
                        false);
            }
            pods = w.items().stream().filter(ClusterView::active).toList();
        }

        List<String> notes = new ArrayList<>();
        Function<Pod, OptionalInt> containerPort = containerPort(service.get(), t.port(), ref, notes);
        List<EffectiveMode.Workload> workloads = new ArrayList<>();
        for (Pod p : pods) {
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            workloads.add(new EffectiveMode.Workload(labels, containerPort.apply(p)));
        }
        if (workloads.isEmpty()) {
            notes.add(selector.isEmpty() ? "the Service has no selector, so no workload policy can apply"
                    : "no pod is selected by the Service; its selector stands in for the pods' labels");
            workloads.add(new EffectiveMode.Workload(selector, containerPort.apply(null)));
        }
        List<Integer> ports = workloads.stream().map(EffectiveMode.Workload::containerPort)
                .filter(OptionalInt::isPresent).map(OptionalInt::getAsInt).distinct().sorted().toList();

        List<PeerAuthPolicy> policies = new ArrayList<>();
        switch (peerAuthState) {
            case UNKNOWN -> {
                return new TargetView(t, noMode.apply("waiting for the Kubernetes API (API discovery)"), false);
            }
            case NOT_SERVED -> notes.add("PeerAuthentication API " + peerAuthApi);
            case SERVED -> {
                for (String pns : new LinkedHashSet<>(List.of(ns, settings.rootNamespace()))) {
                    Watched<?> w = watches.get("peerauthentications/" + pns);
                    if (w == null || !w.synced()) {
                        return new TargetView(t, noMode.apply("waiting for the Kubernetes API (PeerAuthentications in "
                                + pns + ")"), false);
                    }
                    w.items().forEach(r -> policies.add(PeerAuthPolicy.of((GenericKubernetesResource) r)));
                }
            }
        }
        ModeDecision d = EffectiveMode.decide(ns, settings.rootNamespace(), policies, workloads);
        String reason = d.reason() + (notes.isEmpty() ? "" : "; " + String.join("; ", notes));
        return new TargetView(t, new TargetPolicy(t.name(), ref.ref(), ns, d.mode().name(), d.policy(), d.scope(),
                ports, injection, ambient, reason), true);
    }

    /**
     * Maps the URL port to the container port the traffic lands on: the Service port's targetPort, a number or
     * the name of a container port of each pod (pods may number a named port differently).
     */
    private static Function<Pod, OptionalInt> containerPort(Service service, int urlPort, ServiceRef ref,
            List<String> notes) {
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Optional<ServicePort> sp = ports.stream().filter(p -> p.getPort() != null && p.getPort() == urlPort).findFirst();
        if (sp.isEmpty()) {
            notes.add("port " + urlPort + " is not a port of Service " + ref.ref()
                    + ", so port-level settings are not considered");
            return p -> OptionalInt.empty();
        }
        IntOrString target = sp.get().getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return p -> OptionalInt.of(urlPort); // targetPort defaults to port
        }
        if (target.getIntVal() != null) {
            int port = target.getIntVal();
            return p -> OptionalInt.of(port);
        }
        String name = target.getStrVal();
        return pod -> {
            if (pod == null || pod.getSpec() == null || pod.getSpec().getContainers() == null) {
                return OptionalInt.empty();
            }
            return pod.getSpec().getContainers().stream()
                    .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                    .filter(cp -> name.equals(cp.getName()) && cp.getContainerPort() != null)
                    .mapToInt(ContainerPort::getContainerPort).findFirst();
        };
    }

    private static boolean active(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return p.getMetadata().getDeletionTimestamp() == null && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    @Override
    public void close() {
        watches.values().forEach(w -> w.informer.stop());
        watches.clear();
    }
}
