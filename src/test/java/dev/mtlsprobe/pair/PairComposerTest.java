package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.kube.KubernetesStatus;
import dev.mtlsprobe.status.AttemptRecord;
import dev.mtlsprobe.status.CellView;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both roles put together from the own cells and the peer's, each aged on the clock that wrote it. */
class PairComposerTest {

    static final long NOW = 1_800_000_000_000L;
    static final long HOUR = 3_600_000;

    static CellView cell(String role, String verdict, String outcome, long startedAt) {
        return new CellView("httpbin", "http://httpbin-svc:8080/headers", role, true,
                new AttemptRecord(startedAt, outcome, verdict, "why", 0.001, 0, null, null), startedAt - 60_000,
                verdict.equals("pass") ? startedAt : 0L, null, null, null, "-".repeat(60));
    }

    /** A peer whose clock runs an hour ahead: only differences on its own clock may count. */
    static PeerView peer(CellView c, long fetchedAt) {
        PeerStatus s = new PeerStatus("1", NOW + HOUR - 500, c.role(), "downward-api", c.role(), false, "ok", "5s",
                5.0, List.of(c));
        return new PeerView(PeerView.OK, "http://peer/q/status", NOW - 60_000, fetchedAt, null, fetchedAt, s);
    }

    static PairView compose(List<CellView> own, PeerView peer, KubernetesStatus k) {
        return PairComposer.compose(new PairComposer.Input(own, 5000, peer, k, "probes", a -> "rb/" + a, NOW));
    }

    @Test
    void theOwnRowAndThePeersRowMakeThePair() {
        PairView v = compose(List.of(cell("naked", "pass", "reset", NOW - 1000)),
                peer(cell("sidecar", "pass", "mtls", NOW + HOUR - 2000), NOW - 1000), null);
        assertEquals("enforced", v.headline());
        assertEquals("mTLS enforced", v.text());
        assertEquals("enforced", v.targets().get(0).state());
        assertEquals(List.of(), v.targets().get(0).advice());
    }

    @Test
    void thePeersDataAgesFromItsFetchAndAStaleRowIsNeverGreen() {
        // The peer said "1.5 s old" when fetched 20 s ago: 21.5 s old now, over 3 intervals.
        PairView v = compose(List.of(cell("naked", "pass", "reset", NOW - 1000)),
                peer(cell("sidecar", "pass", "mtls", NOW + HOUR - 2000), NOW - 20_000), null);
        assertEquals("unproven", v.headline());
        assertEquals("sidecar: no attempt for 21 s", v.targets().get(0).reason());
        assertEquals("MtlsProbeDown", v.targets().get(0).advice().get(0).alert());
    }

    @Test
    void anUnreachablePeerIsUnprovenWithItsReasonAndTheDownAlert() {
        PeerView gone = new PeerView(PeerView.UNREACHABLE, "http://peer/q/status", NOW - 30_000, NOW - 31_000,
                "the connection was refused", null, null);
        PairView v = compose(List.of(cell("naked", "pass", "reset", NOW - 1000)), gone, null);
        assertEquals("unproven", v.headline());
        assertEquals("sidecar: peer unreachable (the connection was refused)", v.targets().get(0).reason());
        Advice a = v.targets().get(0).advice().get(0);
        assertEquals("sidecar", a.role());
        assertEquals("rb/MtlsProbeDown", a.runbook());
    }

    @Test
    void withoutAPeerTheMissingRowSaysWhyAndGetsNoAdvice() {
        PairView v = compose(List.of(cell("naked", "pass", "reset", NOW - 1000)), PeerView.off("outside a pod"), null);
        assertEquals("unproven", v.headline());
        assertEquals("sidecar: not probed here, and no peer (outside a pod)", v.targets().get(0).reason());
        assertEquals(List.of(), v.targets().get(0).advice());
    }

    @Test
    void aPeerOfTheSameRoleLeavesTheOtherRoleUnproven() {
        PairView v = compose(List.of(cell("sidecar", "pass", "mtls", NOW - 1000)),
                peer(cell("sidecar", "pass", "mtls", NOW + HOUR - 2000), NOW - 1000), null);
        assertEquals("naked: neither this pod nor its peer runs as naked (both are sidecar)",
                v.targets().get(0).reason());
    }

    @Test
    void theDemoRunsBothRolesHereAndNeedsNoPeer() {
        PairView v = compose(List.of(cell("naked", "fail", "plaintext", NOW - 1000),
                cell("sidecar", "pass", "mtls", NOW - 1000)), PeerView.off("demo"), null);
        assertEquals("not-enforced", v.headline());
        assertEquals("mTLS NOT enforced", v.text());
        assertEquals("a pod without a sidecar got through (plaintext): httpbin", v.detail());
    }

    @Test
    void theKubernetesViewNamesThePolicyInTheFix() {
        KubernetesStatus k = new KubernetesStatus(true, "in-cluster", 1, List.of(), "probes/p", "v1", List.of(),
                List.of(new KubernetesStatus.TargetPolicy("httpbin", "team-app/httpbin-svc", "team-app", "PERMISSIVE",
                        "team-app/mutual-tls-auth", "namespace", List.of(8080), true, false, "PERMISSIVE from ...")));
        PairView v = compose(List.of(cell("naked", "fail", "plaintext", NOW - 1000),
                cell("sidecar", "pass", "mtls", NOW - 1000)), PeerView.off("demo"), k);
        String command = v.targets().get(0).advice().get(0).command();
        assertTrue(command.startsWith("kubectl -n team-app patch peerauthentication mutual-tls-auth "), command);
    }
}
