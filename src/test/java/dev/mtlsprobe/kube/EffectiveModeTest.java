package dev.mtlsprobe.kube;

import static dev.mtlsprobe.kube.Policies.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Istio's composition of PeerAuthentications, case by case: what {@code istioctl x describe} would say. */
class EffectiveModeTest {

    static final String NS = "team-app";
    static final String ROOT = "istio-system";
    static final String T0 = "2024-01-01T00:00:00Z";
    static final String T1 = "2024-06-01T00:00:00Z";
    static final Map<String, String> HTTPBIN = Map.of("app", "httpbin", "version", "v1");

    static PeerAuthPolicy mesh(String name, String mode) {
        return policy(ROOT, name, T0, null, mode, null);
    }

    static PeerAuthPolicy namespace(String name, String created, String mode) {
        return policy(NS, name, created, null, mode, null);
    }

    static PeerAuthPolicy workload(String name, String selector, String mode, String ports) {
        return policy(NS, name, T0, selector, mode, ports);
    }

    static EffectiveMode.Workload pod(int port) {
        return new EffectiveMode.Workload(HTTPBIN, OptionalInt.of(port));
    }

    static Arguments row(String name, List<PeerAuthPolicy> policies, EffectiveMode.Workload w, String mode,
            String policy, String scope) {
        return Arguments.of(name, policies, w, mode, policy, scope);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("no policy at all: Istio's default", List.of(), pod(8080), "PERMISSIVE", null, "default"),
                row("mesh only", List.of(mesh("default", "STRICT")), pod(8080), "STRICT", "istio-system/default",
                        "mesh"),
                row("namespace overrides mesh", List.of(mesh("default", "PERMISSIVE"),
                        namespace("mutual-tls-auth", T0, "STRICT")), pod(8080), "STRICT", "team-app/mutual-tls-auth",
                        "namespace"),
                row("namespace DISABLE overrides mesh STRICT", List.of(mesh("default", "STRICT"),
                        namespace("off", T0, "DISABLE")), pod(8080), "DISABLE", "team-app/off", "namespace"),
                row("workload overrides namespace", List.of(namespace("mutual-tls-auth", T0, "STRICT"),
                        workload("httpbin-permissive", "app: httpbin", "PERMISSIVE", null)), pod(8080), "PERMISSIVE",
                        "team-app/httpbin-permissive", "workload"),
                row("workload selector not matching", List.of(namespace("mutual-tls-auth", T0, "STRICT"),
                        workload("other", "app: other", "DISABLE", null)), pod(8080), "STRICT",
                        "team-app/mutual-tls-auth", "namespace"),
                row("workload selector needs every label", List.of(namespace("ns", T0, "STRICT"),
                        workload("v2-only", "version: v2", "DISABLE", null)), pod(8080), "STRICT", "team-app/ns",
                        "namespace"),
                row("two namespace policies: the oldest wins", List.of(namespace("aaa-newer", T1, "PERMISSIVE"),
                        namespace("zzz-older", T0, "STRICT")), pod(8080), "STRICT", "team-app/zzz-older", "namespace"),
                row("two namespace policies of the same age: the first name wins", List.of(
                        namespace("b", T0, "PERMISSIVE"), namespace("a", T0, "STRICT")), pod(8080), "STRICT",
                        "team-app/a", "namespace"),
                row("two mesh policies: the oldest wins", List.of(policy(ROOT, "newer", T1, null, "PERMISSIVE", null),
                        policy(ROOT, "older", T0, null, "STRICT", null)), pod(8080), "STRICT", "istio-system/older",
                        "mesh"),
                row("namespace UNSET inherits the mesh mode", List.of(mesh("default", "STRICT"),
                        namespace("unset", T0, null)), pod(8080), "STRICT", "istio-system/default", "mesh"),
                row("explicit UNSET inherits too", List.of(mesh("default", "STRICT"),
                        namespace("unset", T0, "UNSET")), pod(8080), "STRICT", "istio-system/default", "mesh"),
                row("workload UNSET inherits the namespace mode", List.of(namespace("ns", T0, "STRICT"),
                        workload("wl", "app: httpbin", "UNSET", null)), pod(8080), "STRICT", "team-app/ns",
                        "namespace"),
                row("everything UNSET: PERMISSIVE", List.of(mesh("default", "UNSET"), namespace("ns", T0, null),
                        workload("wl", "app: httpbin", null, null)), pod(8080), "PERMISSIVE", null, "default"),
                row("port-level STRICT on a PERMISSIVE workload policy, the right port", List.of(
                        workload("wl", "app: httpbin", "PERMISSIVE", "8080: STRICT")), pod(8080), "STRICT",
                        "team-app/wl", "workload-port"),
                row("port-level STRICT on a PERMISSIVE workload policy, another port", List.of(
                        workload("wl", "app: httpbin", "PERMISSIVE", "9090: STRICT")), pod(8080), "PERMISSIVE",
                        "team-app/wl", "workload"),
                row("port-level PERMISSIVE on a STRICT workload policy, the right port", List.of(
                        namespace("ns", T0, "STRICT"), workload("wl", "app: httpbin", "STRICT", "8080: PERMISSIVE")),
                        pod(8080), "PERMISSIVE", "team-app/wl", "workload-port"),
                row("port-level PERMISSIVE on a STRICT workload policy, another port", List.of(
                        workload("wl", "app: httpbin", "STRICT", "9090: PERMISSIVE")), pod(8080), "STRICT",
                        "team-app/wl", "workload"),
                row("port-level on an UNSET workload policy overrides the namespace", List.of(
                        namespace("ns", T0, "STRICT"), workload("wl", "app: httpbin", null, "8080: DISABLE")),
                        pod(8080), "DISABLE", "team-app/wl", "workload-port"),
                row("port-level UNSET inherits the workload mode", List.of(
                        workload("wl", "app: httpbin", "STRICT", "8080: UNSET")), pod(8080), "STRICT", "team-app/wl",
                        "workload"),
                row("port-level only counts from a workload policy", List.of(
                        policy(NS, "ns", T0, null, "STRICT", "8080: DISABLE")), pod(8080), "STRICT", "team-app/ns",
                        "namespace"),
                row("port-level with an unknown container port is not applied", List.of(
                        workload("wl", "app: httpbin", "PERMISSIVE", "8080: STRICT")),
                        new EffectiveMode.Workload(HTTPBIN, OptionalInt.empty()), "PERMISSIVE", "team-app/wl",
                        "workload"),
                row("a selector policy in the root namespace is not a mesh policy", List.of(
                        policy(ROOT, "sel", T0, "app: httpbin", "STRICT", null)), pod(8080), "PERMISSIVE", null,
                        "default"),
                row("another namespace's policies do not apply", List.of(
                        policy("elsewhere", "ns", T0, null, "STRICT", null),
                        policy("elsewhere", "wl", T0, "app: httpbin", "STRICT", null)), pod(8080), "PERMISSIVE", null,
                        "default"),
                row("two workload policies: the oldest wins", List.of(
                        policy(NS, "a-newer", T1, "app: httpbin", "DISABLE", null),
                        policy(NS, "z-older", T0, "version: v1", "STRICT", null)), pod(8080), "STRICT",
                        "team-app/z-older", "workload"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, List<PeerAuthPolicy> policies, EffectiveMode.Workload workload, String mode,
            String policy, String scope) {
        ModeDecision d = EffectiveMode.decide(NS, ROOT, policies, workload);
        assertEquals(mode, d.mode().name(), d.reason());
        assertEquals(policy, d.policy(), d.reason());
        assertEquals(scope, d.scope(), d.reason());
        if (policy != null) {
            assertTrue(d.reason().contains(policy), d.reason());
        }
    }

    @ParameterizedTest(name = "target in the root namespace: {0}")
    @MethodSource("rootCases")
    void targetInTheRootNamespace(String name, List<PeerAuthPolicy> policies, String mode, String policy) {
        ModeDecision d = EffectiveMode.decide(ROOT, ROOT, policies, pod(8080));
        assertEquals(mode, d.mode().name(), d.reason());
        assertEquals(policy, d.policy(), d.reason());
    }

    static Stream<Arguments> rootCases() {
        return Stream.of(
                Arguments.of("a selector-less policy there is the mesh policy",
                        List.of(policy(ROOT, "default", T0, null, "STRICT", null)), "STRICT", "istio-system/default"),
                Arguments.of("selector policies there never apply",
                        List.of(policy(ROOT, "default", T0, null, "STRICT", null),
                                policy(ROOT, "sel", T0, "app: httpbin", "DISABLE", null)), "STRICT",
                        "istio-system/default"));
    }

    @org.junit.jupiter.api.Test
    void theWeakestPodDecidesForTheTarget() {
        var v1 = new EffectiveMode.Workload(HTTPBIN, OptionalInt.of(8080));
        var v2 = new EffectiveMode.Workload(Map.of("app", "httpbin", "version", "v2"), OptionalInt.of(8080));
        List<PeerAuthPolicy> policies = List.of(namespace("ns", T0, "STRICT"),
                workload("v2-permissive", "version: v2", "PERMISSIVE", null));
        ModeDecision d = EffectiveMode.decide(NS, ROOT, policies, List.of(v1, v2));
        assertEquals(MtlsMode.PERMISSIVE, d.mode());
        assertEquals("team-app/v2-permissive", d.policy());
        assertEquals(MtlsMode.STRICT, EffectiveMode.decide(NS, ROOT, policies, List.of(v1)).mode());
    }

    @org.junit.jupiter.api.Test
    void readsEveryPartOfTheResource() {
        PeerAuthPolicy p = policy(NS, "wl", T1, "app: httpbin", "STRICT", "8080: PERMISSIVE, 9090: DISABLE");
        assertEquals("team-app/wl", p.ref());
        assertEquals(java.time.Instant.parse(T1), p.created());
        assertEquals(Map.of("app", "httpbin"), p.selector());
        assertEquals(MtlsMode.STRICT, p.mode());
        assertEquals(Map.of(8080, MtlsMode.PERMISSIVE, 9090, MtlsMode.DISABLE), p.portModes());
        PeerAuthPolicy empty = policy(NS, "empty", null, null, null, null);
        assertEquals(MtlsMode.UNSET, empty.mode());
        assertEquals(Map.of(), empty.selector());
    }
}
