package dev.mtlsprobe.kube;

import dev.mtlsprobe.kube.KubernetesStatus.TargetPolicy;
import dev.mtlsprobe.model.TargetSpec;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Composes each target's policy view from what the watches know, as a pure function (the shape of
 * {@code istioctl x describe}): the Service the URL host names, the pods it selects and the container port the
 * URL port reaches, the namespace's injection and ambient labels, and the effective PeerAuthentication. Says
 * which pod selectors it needed, so that the caller keeps exactly those watches.
 */
final class TargetViews {

    static final String INJECTION_LABEL = "istio-injection";
    static final String REVISION_LABEL = "istio.io/rev";

    /** A target's view and whether it is final (false while the watches it needs have not listed yet). */
    record TargetView(TargetSpec target, TargetPolicy policy, boolean known) {
    }

    /** The views, and the pod selectors they were computed from. */
    record Composition(List<TargetView> views, Set<PodSelector> pods) {
    }

    private TargetViews() {
    }

    static Composition compose(List<TargetSpec> targets, Map<String, ServiceRef.Parsed> refs, String rootNamespace,
            ClusterState state) {
        Set<PodSelector> pods = new LinkedHashSet<>();
        List<TargetView> views = new ArrayList<>();
        for (TargetSpec t : targets) {
            views.add(view(t, refs.get(t.name()), rootNamespace, state, pods));
        }
        return new Composition(List.copyOf(views), pods);
    }

    static boolean injection(Map<String, String> namespaceLabels) {
        return "enabled".equals(namespaceLabels.get(INJECTION_LABEL)) || namespaceLabels.containsKey(REVISION_LABEL);
    }

    private static TargetView view(TargetSpec t, ServiceRef.Parsed parsed, String root, ClusterState state,
            Set<PodSelector> pods) {
        if (!parsed.found()) {
            return new TargetView(t, new TargetPolicy(t.name(), null, null, null, null, null, List.of(), null, false,
                    parsed.problem() + "; no PeerAuthentication can be attributed to it"), true);
        }
        ServiceRef ref = parsed.service();
        String ns = ref.namespace();
        Listed<Map<String, String>> nsLabels = state.namespace(ns);
        Map<String, String> labels = nsLabels.value();
        Boolean injection = labels == null ? null : injection(labels);
        boolean ambient = labels != null && "ambient".equals(labels.get(PodFacts.DATAPLANE_MODE));
        Function<String, TargetPolicy> noMode = reason -> new TargetPolicy(t.name(), ref.ref(), ns, null, null, null,
                List.of(), injection, ambient, reason);

        Listed<Service> service = state.service(ref);
        if (!service.synced()) {
            return new TargetView(t, noMode.apply("waiting for the Kubernetes API (Service " + ref.ref() + ")"), false);
        }
        if (service.value() == null) {
            String reason = "Service " + ref.ref() + " not found"
                    + (nsLabels.synced() && labels == null ? " (namespace " + ns + " does not exist)" : "");
            return new TargetView(t, noMode.apply(reason), true);
        }
        Service svc = service.value();
        Map<String, String> selector = svc.getSpec() == null || svc.getSpec().getSelector() == null ? Map.of()
                : new TreeMap<>(svc.getSpec().getSelector());
        List<Pod> selected = List.of();
        if (!selector.isEmpty()) {
            pods.add(new PodSelector(ns, selector));
            Listed<List<Pod>> listed = state.pods(ns, selector);
            if (!listed.synced()) {
                return new TargetView(t, noMode.apply("waiting for the Kubernetes API (pods of " + ref.ref() + ")"),
                        false);
            }
            selected = listed.value().stream().filter(TargetViews::active).toList();
        }

        List<String> notes = new ArrayList<>();
        Function<Pod, OptionalInt> containerPort = containerPort(svc, t.port(), ref, notes);
        List<EffectiveMode.Workload> workloads = new ArrayList<>();
        for (Pod p : selected) {
            Map<String, String> podLabels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            workloads.add(new EffectiveMode.Workload(podLabels, containerPort.apply(p)));
        }
        if (workloads.isEmpty()) {
            notes.add(selector.isEmpty() ? "the Service has no selector, so no workload policy can apply"
                    : "no pod is selected by the Service; its selector stands in for the pods' labels");
            workloads.add(new EffectiveMode.Workload(selector, containerPort.apply(null)));
        }
        List<Integer> ports = workloads.stream().map(EffectiveMode.Workload::containerPort)
                .filter(OptionalInt::isPresent).map(OptionalInt::getAsInt).distinct().sorted().toList();

        List<PeerAuthPolicy> policies = new ArrayList<>();
        switch (state.peerAuthApi()) {
            case UNKNOWN -> {
                return new TargetView(t, noMode.apply("waiting for the Kubernetes API (API discovery)"), false);
            }
            case NOT_SERVED -> notes.add("PeerAuthentication API " + state.peerAuthApiText());
            case SERVED -> {
                for (String pns : new LinkedHashSet<>(List.of(ns, root))) {
                    Listed<List<PeerAuthPolicy>> listed = state.peerAuthentications(pns);
                    if (!listed.synced()) {
                        return new TargetView(t, noMode.apply("waiting for the Kubernetes API (PeerAuthentications in "
                                + pns + ")"), false);
                    }
                    policies.addAll(listed.value());
                }
            }
        }
        ModeDecision d = EffectiveMode.decide(ns, root, policies, workloads);
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
}
