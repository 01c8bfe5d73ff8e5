package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.Listed;
import dev.mtlsprobe.sweep.CoveragePlan.EndpointPlan;
import dev.mtlsprobe.sweep.CoveragePlan.PortPlan;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Composes a round's plan from what the watches know, as a pure function (the shape of {@code istioctl x
 * describe}): for each swept namespace, each TCP port of each Service, the ready endpoints its EndpointSlices list
 * and the expectation of each. Deterministic, so that the caps always keep the same ports: namespaces, Services and
 * ports in order, and per port the endpoints that nothing protects first (they are where findings are), then by pod.
 */
final class CoveragePlanner {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Comparator<EndpointPlan> RISK_FIRST = Comparator
            .comparing((EndpointPlan e) -> !e.expectation().unenforceable())
            .thenComparing(EndpointPlan::pod, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(EndpointPlan::address);

    private CoveragePlanner() {
    }

    static CoveragePlan plan(SweepState state, String root, int maxServicePorts, int maxEndpointsPerPort) {
        Listed<List<String>> namespaces = state.namespaces();
        if (!namespaces.synced()) {
            return CoveragePlan.empty("waiting for the Kubernetes API (the namespaces the selector matches)");
        }
        List<PortPlan> ports = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        int skippedPorts = 0;
        int skippedEndpoints = 0;
        for (String ns : namespaces.value().stream().sorted().toList()) {
            Listed<Map<String, String>> labels = state.namespaceLabels(ns);
            Listed<List<Service>> services = state.services(ns);
            Listed<List<EndpointSlice>> slices = state.endpointSlices(ns);
            Listed<List<Pod>> pods = state.pods(ns);
            String pending = !labels.synced() ? "the namespace" : !services.synced() ? "Services"
                    : !slices.synced() ? "EndpointSlices" : !pods.synced() ? "pods" : null;
            if (pending != null) {
                waiting.add("waiting for the Kubernetes API (" + pending + " of namespace " + ns + ")");
                continue;
            }
            if (labels.value() == null) {
                waiting.add("namespace " + ns + " does not exist");
                continue;
            }
            Namespace n = new Namespace(ns, root, labels.value(), state.policies(ns), pods.value().stream()
                    .collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(), (a, b) -> a)));
            for (Service svc : services.value().stream()
                    .sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList()) {
                for (ServicePort sp : tcpPorts(svc)) {
                    if (ports.size() >= maxServicePorts) {
                        skippedPorts++;
                        continue;
                    }
                    List<EndpointPlan> ready = n.endpoints(svc, sp, slices.value());
                    List<EndpointPlan> kept = ready.stream().sorted(RISK_FIRST).limit(maxEndpointsPerPort).toList();
                    skippedEndpoints += ready.size() - kept.size();
                    ports.add(new PortPlan(ns, svc.getMetadata().getName(), sp.getPort(), sp.getName(),
                            Greetings.forPort(sp.getName(), sp.getAppProtocol()), ready.size(), kept));
                }
            }
        }
        return new CoveragePlan(ports, skippedPorts, skippedEndpoints, waiting);
    }

    /** TCP ports only (UDP and SCTP carry no TLS handshake to refuse), in port order. */
    private static List<ServicePort> tcpPorts(Service svc) {
        if (svc.getSpec() == null || svc.getSpec().getPorts() == null) {
            return List.of();
        }
        return svc.getSpec().getPorts().stream()
                .filter(p -> p.getPort() != null && (p.getProtocol() == null || "TCP".equals(p.getProtocol())))
                .sorted(Comparator.comparing(ServicePort::getPort)).toList();
    }

    /** One namespace's facts, as the expectation of each endpoint needs them. */
    private record Namespace(String name, String root, Map<String, String> labels, Expectations.Policies policies,
            Map<String, Pod> pods) {

        /** The ready endpoints of a Service port, from the Service's slices, once each. */
        List<EndpointPlan> endpoints(Service svc, ServicePort sp, List<EndpointSlice> slices) {
            Map<String, EndpointPlan> out = new LinkedHashMap<>();
            for (EndpointSlice slice : slices) {
                Map<String, String> sliceLabels = slice.getMetadata().getLabels();
                if (sliceLabels == null || !svc.getMetadata().getName().equals(sliceLabels.get(SERVICE_NAME_LABEL))
                        || "FQDN".equals(slice.getAddressType()) || slice.getEndpoints() == null) {
                    continue;
                }
                Integer target = targetPort(slice, sp);
                if (target == null) {
                    continue;
                }
                for (Endpoint e : slice.getEndpoints()) {
                    if (!ready(e)) {
                        continue;
                    }
                    String address = e.getAddresses().get(0);
                    ObjectReference ref = e.getTargetRef();
                    Pod pod = ref != null && "Pod".equals(ref.getKind()) ? pods.get(ref.getName()) : null;
                    String podName = ref != null && "Pod".equals(ref.getKind()) ? ref.getName() : null;
                    out.putIfAbsent(address + ":" + target, new EndpointPlan(podName, address, target,
                            Expectations.of(name, root, policies, labels, pod, target)));
                }
            }
            return new ArrayList<>(out.values());
        }

        /** The slice port of a Service port: the one of the same name ("" and unset are the same). */
        private static Integer targetPort(EndpointSlice slice, ServicePort sp) {
            if (slice.getPorts() == null) {
                return null;
            }
            String name = Objects.requireNonNullElse(sp.getName(), "");
            for (EndpointPort p : slice.getPorts()) {
                if (name.equals(Objects.requireNonNullElse(p.getName(), "")) && p.getPort() != null
                        && (p.getProtocol() == null || "TCP".equals(p.getProtocol()))) {
                    return p.getPort();
                }
            }
            return null;
        }

        /** Ready unless it says otherwise (the API reads an unset condition as ready), with an address. */
        private static boolean ready(Endpoint e) {
            return e.getAddresses() != null && !e.getAddresses().isEmpty() && (e.getConditions() == null
                    || !Boolean.FALSE.equals(e.getConditions().getReady()));
        }
    }
}
