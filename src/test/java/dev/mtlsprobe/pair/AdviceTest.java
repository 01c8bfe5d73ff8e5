package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.kube.KubernetesStatus.TargetPolicy;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pair.PairRule.Side;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What the page tells the user to do, from the cell and the Kubernetes view, with real names when known. */
class AdviceTest {

    static final UnaryOperator<String> RUNBOOKS = a -> "https://runbooks.example/" + a + ".md";

    static TargetPolicy policy(String mode, String policy, String scope, Boolean injection) {
        return new TargetPolicy("httpbin", "team-app/httpbin-svc", "team-app", mode, policy, scope, List.of(8080),
                injection, false, "decided");
    }

    static Advice advice(String role, Verdict v, String outcome, TargetPolicy p) {
        Optional<Advice> a = Advice.of(role, Side.of(v, outcome, 1000, 5000), p, "probes", RUNBOOKS);
        assertTrue(a.isPresent(), role + " " + v + " " + outcome);
        return a.get();
    }

    @Test
    void plaintextAcceptedPatchesTheDecidingPolicyBackToStrict() {
        Advice a = advice("naked", Verdict.FAIL, "plaintext", policy("PERMISSIVE", "team-app/mutual-tls-auth",
                "namespace", true));
        assertEquals("MtlsProbePlaintextAccepted", a.alert());
        assertEquals("https://runbooks.example/MtlsProbePlaintextAccepted.md", a.runbook());
        assertEquals("kubectl -n team-app patch peerauthentication mutual-tls-auth --type=merge -p "
                + "'{\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}'", a.command());
        assertEquals("fix", a.commandKind());
        assertTrue(a.note().contains("team-app/mutual-tls-auth"), a.note());
    }

    @Test
    void aPortLevelDecisionIsPatchedAtItsPort() {
        Advice a = advice("naked", Verdict.FAIL, "plaintext", policy("DISABLE", "team-app/httpbin-ports",
                "workload-port", true));
        assertEquals("kubectl -n team-app patch peerauthentication httpbin-ports --type=merge -p "
                + "'{\"spec\":{\"portLevelMtls\":{\"8080\":{\"mode\":\"STRICT\"}}}}'", a.command());
    }

    @Test
    void istiosDefaultOrAMeshWidePolicyIsOverriddenByANamespacePolicy() {
        for (TargetPolicy p : List.of(policy("PERMISSIVE", null, "default", true),
                policy("PERMISSIVE", "istio-system/default", "mesh", true))) {
            Advice a = advice("naked", Verdict.FAIL, "accepted", p);
            assertEquals("echo '{\"apiVersion\":\"security.istio.io/v1\",\"kind\":\"PeerAuthentication\",\"metadata\":"
                    + "{\"name\":\"default\",\"namespace\":\"team-app\"},\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}' | "
                    + "kubectl apply -f -", a.command(), p.scope());
        }
    }

    @Test
    void strictButAcceptedMeansNoSidecarAtTheTarget() {
        assertEquals("kubectl label namespace team-app istio-injection=enabled --overwrite",
                advice("naked", Verdict.FAIL, "plaintext", policy("STRICT", "team-app/default", "namespace", false))
                        .command());
        Advice check = advice("naked", Verdict.FAIL, "plaintext", policy("STRICT", "team-app/default", "namespace",
                true));
        assertEquals("check", check.commandKind());
        assertTrue(check.command().startsWith("kubectl -n team-app get pods -o custom-columns="), check.command());
    }

    @Test
    void withoutTheKubernetesViewTheCommandHasPlaceholders() {
        Advice a = advice("naked", Verdict.FAIL, "plaintext", null);
        assertEquals("kubectl -n <namespace> patch peerauthentication <name> --type=merge -p "
                + "'{\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}'", a.command());
    }

    @Test
    void namesThatAreNotKubernetesNamesNeverReachACommand() {
        TargetPolicy hostile = new TargetPolicy("httpbin", "Team-App/svc;reboot", "team-app", "PERMISSIVE",
                "team-app/$(reboot)", "namespace", List.of(), true, false, "x");
        Advice a = advice("naked", Verdict.FAIL, "plaintext", hostile);
        assertEquals("kubectl -n team-app patch peerauthentication <name> --type=merge -p "
                + "'{\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}'", a.command());
        assertEquals("kubectl -n <namespace> get endpoints <service>",
                advice("sidecar", Verdict.FAIL, "mesh_error", hostile).command());
    }

    @Test
    void eachFailingOrUnprovenCellGetsItsAlert() {
        TargetPolicy p = policy("STRICT", "team-app/default", "namespace", true);
        assertEquals("MtlsProbeRoleMismatch", advice("naked", Verdict.FAIL, "mtls", p).alert());
        assertEquals("MtlsProbeMeshedCallFailing", advice("sidecar", Verdict.FAIL, "denied", p).alert());
        assertEquals("kubectl -n team-app get authorizationpolicies",
                advice("sidecar", Verdict.FAIL, "denied", p).command());
        Advice unproven = advice("naked", Verdict.INCONCLUSIVE, "dns_error", p);
        assertEquals("MtlsProbeEnforcementUnproven", unproven.alert());
        assertEquals("kubectl -n team-app get service httpbin-svc", unproven.command());
        assertEquals("kubectl -n team-app get networkpolicies",
                advice("naked", Verdict.INCONCLUSIVE, "timeout", p).command());
        Advice down = Advice.of("sidecar", Side.none("peer unreachable"), p, "probes", RUNBOOKS).orElseThrow();
        assertEquals("MtlsProbeDown", down.alert());
        assertEquals("kubectl -n probes get pods -l app.kubernetes.io/name=mtls-probe -o wide", down.command());
        Advice stale = Advice.of("naked", Side.of(Verdict.PASS, "reset", 60_000, 5000), p, "probes", RUNBOOKS)
                .orElseThrow();
        assertEquals("MtlsProbeDown", stale.alert(), "a stale pass is no pass");
    }

    @Test
    void aFreshPassOrASidecarNotYetReadyNeedsNothing() {
        assertTrue(Advice.of("naked", Side.of(Verdict.PASS, "reset", 1, 5000), null, "p", RUNBOOKS).isEmpty());
        assertTrue(Advice.of("sidecar", Side.of(Verdict.INCONCLUSIVE, "mesh_error", 1, 5000), null, "p", RUNBOOKS)
                .isEmpty());
    }
}
