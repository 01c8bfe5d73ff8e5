package dev.mtlsprobe.sweep;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.SweepSettings;
import dev.mtlsprobe.kube.ApiHealth;
import dev.mtlsprobe.kube.Lab;
import dev.mtlsprobe.kube.Policies;
import dev.mtlsprobe.testsupport.HostilePeers;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.LogCapture;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweep as it runs, through the same watches, planner and rounds, against fabric8's mock API (CRUD mode) and
 * real loopback servers standing in for the endpoints: a STRICT namespace with a service whose sidecar resets
 * plaintext (enforced), one without a sidecar answering HTTP (a finding), a TCP service whose port the sidecar
 * does not capture sending a banner (a finding), one closing with FIN (unproven: not counted as enforced), and one
 * PERMISSIVE by port-level policy (information). Each case gets namespaces of its own.
 */
@EnableKubernetesMockClient(crud = true)
class CoverageApiTest {

    static final AtomicInteger CASE = new AtomicInteger();
    static KubernetesClient client;

    @BeforeAll
    static void peerAuthenticationApi() {
        new Lab(client).peerAuthenticationApi("v1");
    }

    @Test
    void aStrictNamespaceOfFiveServices() throws Exception {
        String ns = "shop-" + CASE.incrementAndGet();
        String root = ns + "-root";
        try (LocalServer reset = new LocalServer(LocalServer.reset());
                LocalServer http = new LocalServer(LocalServer.respond(200, "text/plain", "legacy says hi"));
                LocalServer ssh = new LocalServer(HostilePeers.banner("SSH-2.0-OpenSSH_9.2\r\n"));
                LocalServer fin = new LocalServer(LocalServer.closeAfterRequest());
                LocalServer partner = new LocalServer(LocalServer.respond(200, "text/plain", "partner"));
                LogCapture log = new LogCapture()) {
            new Lab(client).namespace(ns, Map.of("istio-injection", "enabled")).namespace(root, Map.of())
                    .peerAuthentication(Policies.resource("v1", ns, "default", null, null, "STRICT", null));
            Workloads.create(client, ns, "orders", "http", 80, reset.port(), true, "{}");
            Workloads.create(client, ns, "legacy", "http", 80, http.port(), false, "{}");
            Workloads.create(client, ns, "ssh", "tcp-ssh", 22, ssh.port(), true,
                    "{traffic.sidecar.istio.io/excludeInboundPorts: '" + ssh.port() + "'}");
            Workloads.create(client, ns, "closer", "tcp", 9000, fin.port(), true, "{}");
            Workloads.create(client, ns, "partner", "http", 80, partner.port(), true, "{}");
            new Lab(client).peerAuthentication(Policies.resource("v1", ns, "partner", null, "app: partner", null,
                    partner.port() + ": PERMISSIVE"));

            CoverageStore store = sweep(ns, root, 100, 10, s -> s.samples(System.currentTimeMillis()).stream()
                    .filter(p -> p.checked() == 1).count() == 5);

            Map<String, PortState> states = store.samples(System.currentTimeMillis()).stream().collect(
                    Collectors.toMap(p -> p.service() + ":" + p.port(), CoverageStore.PortSample::state));
            assertEquals(Map.of("orders:80", PortState.ENFORCED, "legacy:80", PortState.FINDING, "ssh:22",
                    PortState.FINDING, "closer:9000", PortState.UNPROVEN, "partner:80", PortState.NOT_STRICT), states);
            Map<String, Integer> plaintext = store.samples(System.currentTimeMillis()).stream().collect(
                    Collectors.toMap(CoverageStore.PortSample::service, CoverageStore.PortSample::plaintext));
            assertEquals(Map.of("orders", 0, "legacy", 1, "ssh", 1, "closer", 0, "partner", 1), plaintext);

            CoverageView view = CoverageViews.view("1", true, "sweeping", settings(ns, 100, 10), List.of(ns), store,
                    false, System.currentTimeMillis());
            assertEquals(List.of("legacy", "ssh", "partner", "closer", "orders"), view.ports().stream()
                    .map(CoverageView.Port::service).toList(), "findings first, enforced last");
            CoverageView.Port legacy = view.ports().get(0);
            assertTrue(legacy.why().contains("STRICT from namespace policy " + ns + "/default; but pod legacy-1 has "
                    + "no sidecar"), legacy.why());
            assertEquals("legacy-1", legacy.endpoints().get(0).pod(), "pod names are in the API");
            assertTrue(legacy.endpoints().get(0).reason().contains("HTTP/1.1 200"), legacy.endpoints().get(0).reason());
            assertTrue(view.ports().get(1).why().contains("excludeInboundPorts"), view.ports().get(1).why());
            assertEquals("PERMISSIVE", view.ports().get(2).expected());
            assertEquals("closed", view.ports().get(3).endpoints().get(0).outcome());
            assertNull(view.ports().get(4).endpoints(), "the compact view leaves out the endpoints of enforced ports");
            assertEquals(Map.of("finding", 2, "not_strict", 1, "unknown", 0, "unproven", 1, "enforced", 1),
                    view.counts());

            assertEquals(1, log.count("coverage: port " + ns + "/legacy:80 accepts plaintext although it is "
                    + "expected STRICT (was not checked): pod legacy-1"), log.lines()::toString);
            assertEquals(1, log.count("coverage: port " + ns + "/ssh:22 accepts plaintext"), log.lines()::toString);
            assertEquals(2, log.count("accepts plaintext"), "one line per finding, pods named there");
        }
    }

    @Test
    void theCapsBoundEveryRoundAndCountWhatTheyLeaveOut() throws Exception {
        String ns = "big-" + CASE.incrementAndGet();
        String root = ns + "-root";
        try (LocalServer reset = new LocalServer(LocalServer.reset())) {
            new Lab(client).namespace(ns, Map.of("istio-injection", "enabled")).namespace(root, Map.of())
                    .peerAuthentication(Policies.resource("v1", ns, "default", null, null, "STRICT", null));
            for (String svc : List.of("a", "b", "c", "d")) {
                Workloads.create(client, ns, svc, "http", 80, reset.port(), true, "{}");
            }
            CoverageStore store = sweep(ns, root, 3, 1, s -> s.lastRoundEndedMillis() > 0);
            assertEquals(3, store.samples(System.currentTimeMillis()).size(), "max-service-ports");
            CoveragePlan plan = store.plan();
            assertEquals(1, plan.skippedServicePorts());
            assertTrue(store.skipped()[0] >= 1, "counted per round");
            assertEquals(List.of("a", "b", "c"), plan.ports().stream().map(CoveragePlan.PortPlan::service).toList());
            assertEquals(3, reset.connections(), "one check per planned endpoint in the round, nothing beyond the caps");
        }
    }

    /** Runs a sweep of one namespace until {@code done}, then stops it and returns its store. */
    static CoverageStore sweep(String ns, String root, int maxPorts, int maxEndpoints,
            java.util.function.Predicate<CoverageStore> done) {
        ApiHealth health = new ApiHealth();
        try (SweepSession s = new SweepSession(() -> client, health, settings(ns, maxPorts, maxEndpoints), root,
                Duration.ofMillis(300), Duration.ofMillis(600), "test", () -> null)) {
            s.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> done.test(s.store()));
            assertTrue(health.up(), String.valueOf(health.problems()));
            return s.store();
        }
    }

    static SweepSettings settings(String ns, int maxPorts, int maxEndpoints) {
        return new SweepSettings(List.of(ns), Map.of(), Duration.ofSeconds(1), 50, 4, maxPorts, maxEndpoints);
    }
}
