package dev.mtlsprobe.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.testsupport.LogCapture;
import dev.mtlsprobe.testsupport.Targets;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The effective PeerAuthentication computed from what the API serves, through the same watches the probe
 * runs: each case gets a fresh target namespace and a fresh root namespace, seeded with the lab's Service
 * (port 8000 to the container port named {@code http}, 8080) and pod, plus the case's policies.
 */
@EnableKubernetesMockClient(crud = true)
class PeerAuthenticationApiTest {

    private static final AtomicInteger CASE = new AtomicInteger();

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeEach
    void api() {
        if (client.apiextensions().v1().customResourceDefinitions().withName(Lab.CRD).get() == null) {
            new Lab(client).peerAuthenticationApi("v1");
        }
    }

    /** A policy of the case; {@code ROOT} and {@code NS} stand for the case's namespaces. */
    record P(String where, String name, String selector, String mode, String ports) {
    }

    static Arguments row(String name, String mode, String policy, List<P> policies) {
        return Arguments.of(name, mode, policy, policies);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("no policy at all", "PERMISSIVE", null, List.of()),
                row("mesh only", "STRICT", "ROOT/default", List.of(new P("ROOT", "default", null, "STRICT", null))),
                row("namespace overrides mesh", "STRICT", "NS/mutual-tls-auth", List.of(
                        new P("ROOT", "default", null, "PERMISSIVE", null),
                        new P("NS", "mutual-tls-auth", null, "STRICT", null))),
                row("workload overrides namespace", "PERMISSIVE", "NS/httpbin", List.of(
                        new P("NS", "mutual-tls-auth", null, "STRICT", null),
                        new P("NS", "httpbin", "app: httpbin", "PERMISSIVE", null))),
                row("workload selector not matching", "STRICT", "NS/mutual-tls-auth", List.of(
                        new P("NS", "mutual-tls-auth", null, "STRICT", null),
                        new P("NS", "other", "app: other", "DISABLE", null))),
                row("UNSET inherits from the mesh", "STRICT", "ROOT/default", List.of(
                        new P("ROOT", "default", null, "STRICT", null),
                        new P("NS", "unset", null, null, null),
                        new P("NS", "httpbin", "app: httpbin", "UNSET", null))),
                row("port-level STRICT on a PERMISSIVE workload policy, the target's container port", "STRICT",
                        "NS/httpbin", List.of(new P("NS", "httpbin", "app: httpbin", "PERMISSIVE", "8080: STRICT"))),
                row("port-level STRICT on a PERMISSIVE workload policy, another port", "PERMISSIVE", "NS/httpbin",
                        List.of(new P("NS", "httpbin", "app: httpbin", "PERMISSIVE", "9090: STRICT"))),
                row("port-level STRICT keyed by the Service port is not the container port", "PERMISSIVE",
                        "NS/httpbin", List.of(new P("NS", "httpbin", "app: httpbin", "PERMISSIVE", "8000: STRICT"))),
                row("port-level PERMISSIVE on a STRICT workload policy, the target's container port", "PERMISSIVE",
                        "NS/httpbin", List.of(new P("NS", "httpbin", "app: httpbin", "STRICT", "8080: PERMISSIVE"))),
                row("port-level PERMISSIVE on a STRICT workload policy, another port", "STRICT", "NS/httpbin",
                        List.of(new P("NS", "httpbin", "app: httpbin", "STRICT", "9090: PERMISSIVE"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void effectiveMode(String name, String mode, String policy, List<P> policies) {
        Case c = new Case();
        for (P p : policies) {
            c.policy("v1", p.where().equals("ROOT") ? c.root : c.ns, p.name(), p.selector(), p.mode(), p.ports());
        }
        KubernetesStatus.TargetPolicy view = c.view();
        assertEquals(mode, view.mode(), view.reason());
        assertEquals(policy == null ? null : policy.replace("ROOT", c.root).replace("NS", c.ns), view.policy(),
                view.reason());
        assertEquals(List.of(8080), view.containerPorts(), "the named targetPort resolved through the pod");
    }

    @Test
    void twoNamespacePoliciesTheOldestWins() throws Exception {
        Case c = new Case();
        c.policy("v1", c.ns, "zz-older", null, "PERMISSIVE", null);
        Thread.sleep(1100); // the API server stamps creation to the second
        c.policy("v1", c.ns, "aa-newer", null, "STRICT", null);
        KubernetesStatus.TargetPolicy view = c.view();
        assertEquals("PERMISSIVE", view.mode(), view.reason());
        assertEquals(c.ns + "/zz-older", view.policy());
    }

    @Test
    void onlyV1beta1Served() {
        try {
            new Lab(client).peerAuthenticationApi("v1beta1");
            Case c = new Case();
            c.policy("v1beta1", c.ns, "mutual-tls-auth", null, "STRICT", null);
            KubernetesStatus.TargetPolicy view = c.view();
            assertEquals("STRICT", view.mode(), view.reason());
            assertEquals(c.ns + "/mutual-tls-auth", view.policy());
            assertEquals("security.istio.io/v1beta1", c.api);
        } finally {
            new Lab(client).peerAuthenticationApi("v1");
        }
    }

    @Test
    void injectionStateAndMissingService() {
        Case c = new Case();
        KubernetesStatus.TargetPolicy view = c.view();
        assertEquals(Boolean.TRUE, view.injectionEnabled());
        assertEquals(c.ns + "/httpbin-svc", view.service());

        String ns = "rev-" + CASE.incrementAndGet();
        new Lab(client).namespace(ns, Map.of("istio.io/rev", "1-22"));
        KubernetesStatus.TargetPolicy missing = view(ns, c.root, Targets.http("t", "nothing-here." + ns, 80, "/"));
        assertEquals(null, missing.mode());
        assertEquals(Boolean.TRUE, missing.injectionEnabled());
        assertTrue(missing.reason().contains("Service " + ns + "/nothing-here not found"), missing.reason());

        String plain = "plain-" + CASE.incrementAndGet();
        new Lab(client).namespace(plain, Map.of());
        assertEquals(Boolean.FALSE, view(plain, c.root, Targets.http("t", "x", 80, "/")).injectionEnabled());
    }

    @Test
    void forbiddenIsOneWarningNamingThePermissionUntilItIsGranted() {
        Case c = new Case();
        c.policy("v1", c.ns, "mutual-tls-auth", null, "STRICT", null);
        // RBAC says no to the first two lists of the case's policies, then the permission is granted
        server.expect().get().withPath("/apis/security.istio.io/v1/namespaces/" + c.ns
                + "/peerauthentications?resourceVersion=0").andReturn(403, new io.fabric8.kubernetes.api.model
                        .StatusBuilder().withCode(403).withReason("Forbidden").withMessage("peerauthentications."
                                + "security.istio.io is forbidden").build()).times(2);
        LogCapture log = new LogCapture();
        String permission = "list/watch peerauthentications.security.istio.io in namespace " + c.ns;
        try (Watching view = new Watching(client, c.ns, c.root,
                List.of(Targets.http("httpbin", "httpbin-svc", 8000, "/headers")))) {
            ApiHealth health = view.health;
            view.check();
            await().atMost(Duration.ofSeconds(5)).until(() -> !health.up());
            assertTrue(health.problems().stream().anyMatch(p -> p.contains("may not " + permission)),
                    String.valueOf(health.problems()));
            TargetViews.TargetView pending = view.view();
            assertTrue(!pending.known() && pending.policy().reason().contains("waiting"), pending.policy().reason());

            await().atMost(Duration.ofSeconds(15)).until(() -> {
                view.check();
                return health.up();
            });
            TargetViews.TargetView granted = view.view();
            assertEquals("STRICT", granted.policy().mode(), granted.policy().reason());
        } finally {
            log.close();
        }
        List<String> warnings = log.lines();
        assertEquals(1, warnings.stream().filter(w -> w.contains("may not " + permission)).count(), warnings::toString);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("allows " + permission + " again")), warnings::toString);
    }

    /** One case: a target namespace with the lab's Service and pod, and a root namespace of its own. */
    final class Case {
        final String ns = "case-" + CASE.incrementAndGet();
        final String root = ns + "-root";
        String api;

        Case() {
            new Lab(client).namespace(ns, Map.of("istio-injection", "enabled")).namespace(root, Map.of())
                    .service(ns, "httpbin-svc", Map.of("app", "httpbin"), 8000)
                    .workload(ns, "httpbin-1", Map.of("app", "httpbin", "version", "v1"), 8080);
        }

        void policy(String version, String namespace, String name, String selector, String mode, String ports) {
            GenericKubernetesResource r = Policies.resource(version, namespace, name, null, selector, mode, ports);
            new Lab(client).peerAuthentication(r);
        }

        KubernetesStatus.TargetPolicy view() {
            List<String> apis = new ArrayList<>();
            KubernetesStatus.TargetPolicy v = PeerAuthenticationApiTest.this.view(ns, root,
                    Targets.http("httpbin", "httpbin-svc", 8000, "/headers"), apis);
            api = apis.get(0);
            return v;
        }
    }

    KubernetesStatus.TargetPolicy view(String ownNamespace, String root, TargetSpec target) {
        return view(ownNamespace, root, target, new ArrayList<>());
    }

    /** Runs the probe's watches for one target until they have listed everything, and returns the result. */
    KubernetesStatus.TargetPolicy view(String ownNamespace, String root, TargetSpec target, List<String> api) {
        try (Watching view = new Watching(client, ownNamespace, root, List.of(target))) {
            TargetViews.TargetView known = view.known();
            assertTrue(view.health.up(), String.valueOf(view.health.problems()));
            api.add(view.watches.peerAuthApiText());
            return known.policy();
        }
    }
}
