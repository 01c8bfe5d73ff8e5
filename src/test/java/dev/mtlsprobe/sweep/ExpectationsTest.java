package dev.mtlsprobe.sweep;

import static dev.mtlsprobe.sweep.Pods.NS;
import static dev.mtlsprobe.sweep.Pods.ROOT;
import static dev.mtlsprobe.sweep.Pods.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.kube.PeerAuthPolicy;
import dev.mtlsprobe.sweep.Expectation.Protection;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The expectation of one endpoint's port, every row of the effective-mode rules crossed with every kind of pod: a
 * sidecar that captures the port, one whose annotations exclude it (or do not include it), no sidecar, ambient.
 * The mode comes from the policies alone; the protection from the pod alone; a port is a finding waiting to happen
 * exactly when the mode is STRICT and nothing on the pod enforces it.
 */
class ExpectationsTest {

    static final int PORT = 8080;
    static final Map<String, String> APP = Map.of("app", "legacy");
    static final Map<String, String> INJECTED = Map.of("istio-injection", "enabled");

    /** A row of the effective-mode rules: the policies and the mode they put in force for APP on PORT. */
    record Rule(String name, List<PeerAuthPolicy> policies, MtlsMode mode, String decidedBy) {
    }

    /** A kind of pod, the namespace labels it lives under, and what protects PORT on it. */
    record Kind(String name, Pod pod, Map<String, String> namespaceLabels, Protection protection, String says) {
    }

    static List<Rule> rules() {
        return List.of(
                new Rule("no policy: Istio's default", List.of(), MtlsMode.PERMISSIVE, "default PERMISSIVE"),
                new Rule("mesh STRICT", List.of(policy(ROOT, "default", Map.of(), MtlsMode.STRICT, Map.of())),
                        MtlsMode.STRICT, "mesh policy istio-system/default"),
                new Rule("namespace STRICT over mesh PERMISSIVE", List.of(
                        policy(ROOT, "default", Map.of(), MtlsMode.PERMISSIVE, Map.of()),
                        policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of())), MtlsMode.STRICT,
                        "namespace policy team-app/ns"),
                new Rule("namespace DISABLE", List.of(policy(NS, "ns", Map.of(), MtlsMode.DISABLE, Map.of())),
                        MtlsMode.DISABLE, "namespace policy team-app/ns"),
                new Rule("workload PERMISSIVE over namespace STRICT", List.of(
                        policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of()),
                        policy(NS, "legacy", APP, MtlsMode.PERMISSIVE, Map.of())), MtlsMode.PERMISSIVE,
                        "workload policy team-app/legacy"),
                new Rule("workload selector not matching", List.of(
                        policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of()),
                        policy(NS, "other", Map.of("app", "other"), MtlsMode.DISABLE, Map.of())), MtlsMode.STRICT,
                        "namespace policy team-app/ns"),
                new Rule("UNSET inherits from the mesh", List.of(
                        policy(ROOT, "default", Map.of(), MtlsMode.STRICT, Map.of()),
                        policy(NS, "ns", Map.of(), MtlsMode.UNSET, Map.of()),
                        policy(NS, "legacy", APP, MtlsMode.UNSET, Map.of())), MtlsMode.STRICT,
                        "mesh policy istio-system/default"),
                new Rule("port-level PERMISSIVE for this port on a STRICT workload", List.of(
                        policy(NS, "legacy", APP, MtlsMode.STRICT, Map.of(PORT, MtlsMode.PERMISSIVE))),
                        MtlsMode.PERMISSIVE, "for port 8080"),
                new Rule("port-level PERMISSIVE for another port", List.of(
                        policy(NS, "legacy", APP, MtlsMode.STRICT, Map.of(9090, MtlsMode.PERMISSIVE))),
                        MtlsMode.STRICT, "workload policy team-app/legacy"),
                new Rule("port-level STRICT for this port on a PERMISSIVE workload", List.of(
                        policy(NS, "ns", Map.of(), MtlsMode.PERMISSIVE, Map.of()),
                        policy(NS, "legacy", APP, MtlsMode.PERMISSIVE, Map.of(PORT, MtlsMode.STRICT))),
                        MtlsMode.STRICT, "for port 8080"),
                new Rule("port-level DISABLE for this port under a STRICT namespace", List.of(
                        policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of()),
                        policy(NS, "legacy", APP, MtlsMode.UNSET, Map.of(PORT, MtlsMode.DISABLE))),
                        MtlsMode.DISABLE, "for port 8080"));
    }

    static List<Kind> kinds() {
        return List.of(
                new Kind("sidecar", Pods.withSidecar("legacy-1", APP, Map.of()), INJECTED, Protection.SIDECAR,
                        "sidecar captures port 8080"),
                new Kind("sidecar, port excluded", Pods.withSidecar("legacy-1", APP, Map.of(
                        InboundCapture.EXCLUDE, "9000, 8080")), INJECTED, Protection.NOT_CAPTURED,
                        "port 8080 is listed in the pod's annotation traffic.sidecar.istio.io/excludeInboundPorts"),
                new Kind("sidecar, another port excluded", Pods.withSidecar("legacy-1", APP, Map.of(
                        InboundCapture.EXCLUDE, "18080")), INJECTED, Protection.SIDECAR, "sidecar captures"),
                new Kind("sidecar, inbound capture narrowed to another port", Pods.withSidecar("legacy-1", APP, Map.of(
                        InboundCapture.INCLUDE, "9090")), INJECTED, Protection.NOT_CAPTURED,
                        "includeInboundPorts=\"9090\" does not list port 8080"),
                new Kind("sidecar, inbound capture of every port", Pods.withSidecar("legacy-1", APP, Map.of(
                        InboundCapture.INCLUDE, "*")), INJECTED, Protection.SIDECAR, "sidecar captures"),
                new Kind("no sidecar, opted out", Pods.plain("legacy-1", Map.of("app", "legacy",
                        "sidecar.istio.io/inject", "false")), INJECTED, Protection.NO_SIDECAR,
                        "sidecar.istio.io/inject=false"),
                new Kind("no sidecar, no injection label", Pods.plain("legacy-1", APP), Map.of(), Protection.NO_SIDECAR,
                        "has neither istio-injection=enabled nor istio.io/rev"),
                new Kind("no sidecar, older than the injection label", Pods.plain("legacy-1", APP), INJECTED,
                        Protection.NO_SIDECAR, "predate the namespace's injection label"),
                new Kind("no sidecar, ambient namespace", Pods.plain("legacy-1", APP),
                        Map.of("istio.io/dataplane-mode", "ambient"), Protection.AMBIENT, "ztunnel carries"));
    }

    static Stream<Arguments> rows() {
        List<Arguments> rows = new ArrayList<>();
        for (Rule r : rules()) {
            for (Kind k : kinds()) {
                rows.add(Arguments.of(r.name() + " x " + k.name(), r, k));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void modeFromThePoliciesProtectionFromThePod(String name, Rule rule, Kind kind) {
        Expectation e = Expectations.of(NS, ROOT, new Expectations.Policies(rule.policies(), ""),
                kind.namespaceLabels(), kind.pod(), PORT);
        assertEquals(rule.mode(), e.mode(), e.why());
        assertEquals(kind.protection(), e.protection(), e.why());
        boolean unenforceable = rule.mode() == MtlsMode.STRICT
                && (kind.protection() == Protection.NO_SIDECAR || kind.protection() == Protection.NOT_CAPTURED);
        assertEquals(unenforceable, e.unenforceable(), e.why());
        assertTrue(e.why().contains(rule.decidedBy()), "names what decided the mode: " + e.why());
        assertTrue(e.why().contains(kind.says()), "names what protects the port: " + e.why());
        assertEquals(unenforceable, e.why().endsWith("so nothing enforces it"), e.why());
    }

    @Test
    void unknownStaysUnknown() {
        Expectation noPolicies = Expectations.of(NS, ROOT, Expectations.Policies.unknown(
                "waiting for the Kubernetes API (PeerAuthentications in team-app)"), INJECTED,
                Pods.plain("legacy-1", APP), PORT);
        assertNull(noPolicies.mode(), "no policy list, no mode: not Istio's default");
        assertEquals("unknown", noPolicies.expected());
        assertEquals(Protection.NO_SIDECAR, noPolicies.protection());
        assertTrue(noPolicies.why().contains("waiting for the Kubernetes API"), noPolicies.why());

        Expectation noPod = Expectations.of(NS, ROOT, new Expectations.Policies(List.of(
                policy(NS, "ns", Map.of(), MtlsMode.STRICT, Map.of())), ""), INJECTED, null, PORT);
        assertNull(noPod.mode(), "an endpoint that is no pod of the namespace: no policy is known to apply");
        assertEquals(Protection.UNKNOWN, noPod.protection());

        Expectation noNamespace = Expectations.of(NS, ROOT, new Expectations.Policies(List.of(), ""), null,
                Pods.plain("legacy-1", APP), PORT);
        assertEquals(Protection.NO_SIDECAR, noNamespace.protection(), "without the namespace's labels: no ambient");
    }

    @Test
    void istioNotInstalledIsItsDefaultWithANote() {
        Expectation e = Expectations.of(NS, ROOT, new Expectations.Policies(List.of(), "not served: is Istio "
                + "installed?"), INJECTED, Pods.plain("legacy-1", APP), PORT);
        assertEquals(MtlsMode.PERMISSIVE, e.mode());
        assertTrue(e.why().contains("is Istio installed?"), e.why());
    }
}
