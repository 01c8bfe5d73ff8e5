package dev.mtlsprobe.pair;

import dev.mtlsprobe.kube.KubernetesStatus.TargetPolicy;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * What to do about one cell that does not pass: the alert that fires for it (and its runbook), and the one command
 * that fixes the usual cause or, where there is no single fix, shows it. Names in commands come from the
 * Kubernetes view when it knows them; they are used only when they are valid Kubernetes names, so a command the
 * user copies never carries anything else.
 *
 * @param role        the cell's role
 * @param alert       the alert that fires for it, named as in the rules
 * @param runbook     the alert's runbook
 * @param command     a shell command, or null
 * @param commandKind {@code fix} (changes the cluster) or {@code check} (only reads)
 * @param note        why this command, when it is not obvious
 */
@RegisterForReflection
public record Advice(String role, String alert, String runbook, String command, String commandKind, String note) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final String STRICT = "'{\"spec\":{\"mtls\":{\"mode\":\"STRICT\"}}}'";

    /**
     * @param role     {@code naked} or {@code sidecar}
     * @param side     what the role says now
     * @param policy   the Kubernetes view of the target, or null when there is none
     * @param probeNs  the probe's own namespace, when known
     * @param runbooks the runbook URL of an alert name
     */
    public static Optional<Advice> of(String role, PairRule.Side side, TargetPolicy policy, String probeNs,
            UnaryOperator<String> runbooks) {
        Where w = Where.of(policy);
        Builder b = new Builder(role, runbooks);
        if (!side.fresh()) {
            return b.advice("MtlsProbeDown", "kubectl -n " + name(probeNs, "<probe-namespace>")
                    + " get pods -l app.kubernetes.io/name=mtls-probe -o wide", "check",
                    "no fresh result from the " + role + " probe: is its pod running and reachable?");
        }
        String outcome = side.outcome();
        boolean naked = role.equals("naked");
        return switch (side.verdict()) {
            case PASS -> Optional.empty();
            case FAIL -> naked && outcome.equals("mtls")
                    ? b.advice("MtlsProbeRoleMismatch", null, null,
                            "the naked probe's calls are wrapped in mTLS: it has a sidecar or is captured by ambient")
                    : naked ? plaintextAccepted(b, w, policy) : meshedCallFailing(b, w, outcome, policy);
            case INCONCLUSIVE -> naked ? unreachableTarget(b.alert("MtlsProbeEnforcementUnproven"), w, outcome)
                    : Optional.empty(); // the sidecar is not ready yet: no alert
        };
    }

    private static Optional<Advice> plaintextAccepted(Builder b, Where w, TargetPolicy p) {
        b.alert("MtlsProbePlaintextAccepted");
        if (p == null || p.mode() == null) {
            return b.advice(null, "kubectl -n " + w.ns + " patch peerauthentication <name> --type=merge -p " + STRICT,
                    "fix", "the deciding PeerAuthentication is not known here (Kubernetes view off or incomplete)");
        }
        if (p.mode().equals("STRICT")) {
            return Boolean.FALSE.equals(p.injectionEnabled())
                    ? b.advice(null, "kubectl label namespace " + w.ns + " istio-injection=enabled --overwrite", "fix",
                            "the policy is STRICT but the namespace has no sidecar injection; restart the target "
                                    + "afterwards")
                    : b.advice(null, podsAndContainers(w), "check",
                            "the policy is STRICT, so the target's pods probably run without a sidecar (istio-proxy)");
        }
        String[] ref = p.policy() == null ? null : p.policy().split("/", 2);
        if (ref == null || ref.length != 2 || "mesh".equals(p.scope())) {
            return b.advice(null, "echo '{\"apiVersion\":\"security.istio.io/v1\",\"kind\":\"PeerAuthentication\","
                    + "\"metadata\":{\"name\":\"default\",\"namespace\":\"" + w.ns + "\"},\"spec\":{\"mtls\":"
                    + "{\"mode\":\"STRICT\"}}}' | kubectl apply -f -", "fix",
                    p.mode() + " comes from " + (ref == null ? "Istio's default" : "the mesh-wide policy " + p.policy())
                            + ": a namespace policy set to STRICT overrides it");
        }
        String patch = "workload-port".equals(p.scope()) && !p.containerPorts().isEmpty()
                ? "'{\"spec\":{\"portLevelMtls\":{\"" + p.containerPorts().get(0) + "\":{\"mode\":\"STRICT\"}}}}'"
                : STRICT;
        return b.advice(null, "kubectl -n " + name(ref[0], "<namespace>") + " patch peerauthentication "
                + name(ref[1], "<name>") + " --type=merge -p " + patch, "fix",
                p.mode() + " from " + p.policy() + " (" + p.scope() + ")");
    }

    private static Optional<Advice> meshedCallFailing(Builder b, Where w, String outcome, TargetPolicy p) {
        b.alert("MtlsProbeMeshedCallFailing");
        return switch (outcome) {
            case "plaintext" -> Boolean.FALSE.equals(p == null ? null : p.injectionEnabled())
                    ? b.advice(null, "kubectl label namespace " + w.ns + " istio-injection=enabled --overwrite", "fix",
                            "the target answered without mTLS: its namespace has no sidecar injection; restart it")
                    : b.advice(null, podsAndContainers(w), "check",
                            "the target answered without mTLS: which of its pods has no istio-proxy?");
            case "denied" -> b.advice(null, "kubectl -n " + w.ns + " get authorizationpolicies", "check",
                    "an AuthorizationPolicy denies the probe's identity");
            case "mtls" -> b.advice(null, null, null, "an identity differs from the expected SPIFFE ID");
            default -> unreachableTarget(b, w, outcome);
        };
    }

    private static Optional<Advice> unreachableTarget(Builder b, Where w, String outcome) {
        return switch (outcome) {
            case "dns_error" -> b.advice(null, "kubectl -n " + w.ns + " get service " + w.svc, "check",
                    "the name does not resolve: does the Service exist?");
            case "refused", "mesh_error", "http_error" -> b.advice(null, "kubectl -n " + w.ns + " get endpoints "
                    + w.svc, "check", "does the Service have ready endpoints?");
            case "timeout" -> b.advice(null, "kubectl -n " + w.ns + " get networkpolicies", "check",
                    "no answer in time: a NetworkPolicy may drop the call");
            default -> b.advice(null, null, null, null);
        };
    }

    private static String podsAndContainers(Where w) {
        return "kubectl -n " + w.ns + " get pods -o custom-columns=POD:.metadata.name,"
                + "CONTAINERS:.spec.containers[*].name,INIT:.spec.initContainers[*].name";
    }

    static String name(String value, String placeholder) {
        return value != null && NAME.matcher(value).matches() ? value : placeholder;
    }

    /** The target's namespace and Service as they may appear in a command. */
    private record Where(String ns, String svc) {
        static Where of(TargetPolicy p) {
            String[] ref = p == null || p.service() == null ? new String[0] : p.service().split("/", 2);
            return ref.length == 2 ? new Where(name(ref[0], "<namespace>"), name(ref[1], "<service>"))
                    : new Where("<namespace>", "<service>");
        }
    }

    private static final class Builder {
        private final String role;
        private final UnaryOperator<String> runbooks;
        private String alert;

        Builder(String role, UnaryOperator<String> runbooks) {
            this.role = role;
            this.runbooks = runbooks;
        }

        Builder alert(String name) {
            alert = name;
            return this;
        }

        Optional<Advice> advice(String alertName, String command, String kind, String note) {
            String a = alertName != null ? alertName : alert;
            return Optional.of(new Advice(role, a, runbooks.apply(a), command, command == null ? null : kind, note));
        }
    }
}
