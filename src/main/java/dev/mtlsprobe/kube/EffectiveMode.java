package dev.mtlsprobe.kube;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Computes the PeerAuthentication mode in force for a workload the way Istio composes it: the mesh policy
 * (root namespace, no selector), then the namespace policy (no selector), then the workload policy (selector
 * matching the workload's labels, never from the root namespace), each overriding the previous unless its mode
 * is UNSET; within one scope the oldest policy wins. Port-level settings come from the workload policy only and
 * are keyed by the container port. Nothing at all means PERMISSIVE.
 */
public final class EffectiveMode {

    /**
     * One workload behind a target.
     *
     * @param labels        the pod's labels
     * @param containerPort the container port the target reaches, when it could be resolved
     */
    public record Workload(Map<String, String> labels, OptionalInt containerPort) {
        public Workload {
            labels = Map.copyOf(labels);
        }
    }

    private EffectiveMode() {
    }

    /**
     * The weakest mode over all workloads (pods may differ in labels): if one pod accepts plaintext, the
     * target does. Ties keep the first workload's decision.
     */
    public static ModeDecision decide(String targetNamespace, String rootNamespace,
            Collection<PeerAuthPolicy> policies, List<Workload> workloads) {
        ModeDecision weakest = null;
        for (Workload w : workloads) {
            ModeDecision d = decide(targetNamespace, rootNamespace, policies, w);
            if (weakest == null || d.mode().strength() < weakest.mode().strength()) {
                weakest = d;
            }
        }
        return weakest != null ? weakest
                : decide(targetNamespace, rootNamespace, policies, new Workload(Map.of(), OptionalInt.empty()));
    }

    public static ModeDecision decide(String targetNamespace, String rootNamespace,
            Collection<PeerAuthPolicy> policies, Workload workload) {
        Optional<PeerAuthPolicy> mesh = oldest(policies, p -> p.namespace().equals(rootNamespace) && !p.hasSelector());
        Optional<PeerAuthPolicy> namespace = targetNamespace.equals(rootNamespace) ? Optional.empty()
                : oldest(policies, p -> p.namespace().equals(targetNamespace) && !p.hasSelector());
        Optional<PeerAuthPolicy> selected = targetNamespace.equals(rootNamespace) ? Optional.empty()
                : oldest(policies, p -> p.namespace().equals(targetNamespace) && p.selects(workload.labels()));

        MtlsMode mode = MtlsMode.PERMISSIVE;
        PeerAuthPolicy decider = null;
        String scope = "default";
        List<String> passed = new ArrayList<>();
        for (var level : List.of(new Level("mesh", mesh), new Level("namespace", namespace),
                new Level("workload", selected))) {
            if (level.policy().isEmpty()) {
                continue;
            }
            PeerAuthPolicy p = level.policy().get();
            if (p.mode() == MtlsMode.UNSET) {
                passed.add(level.scope() + " policy " + p.ref() + " (UNSET, inherits)");
                continue;
            }
            if (decider != null) {
                passed.add(scope + " policy " + decider.ref() + " (" + mode + ", overridden)");
            }
            mode = p.mode();
            decider = p;
            scope = level.scope();
        }
        String portNote = "";
        if (selected.isPresent() && workload.containerPort().isPresent()) {
            int port = workload.containerPort().getAsInt();
            MtlsMode portMode = selected.get().portModes().getOrDefault(port, MtlsMode.UNSET);
            if (portMode != MtlsMode.UNSET) {
                if (decider != null) {
                    passed.add(scope + " policy " + decider.ref() + " (" + mode + ", overridden for port " + port + ")");
                }
                mode = portMode;
                decider = selected.get();
                scope = "workload-port";
                portNote = " for port " + port;
            }
        }
        String reason = decider == null ? "no PeerAuthentication sets a mode, so Istio's default PERMISSIVE applies"
                : mode + " from " + (scope.equals("workload-port") ? "workload" : scope) + " policy " + decider.ref()
                        + portNote;
        if (!passed.isEmpty()) {
            reason += "; also considered: " + String.join(", ", passed);
        }
        return new ModeDecision(mode, decider == null ? null : decider.ref(), scope, reason);
    }

    private record Level(String scope, Optional<PeerAuthPolicy> policy) {
    }

    private static Optional<PeerAuthPolicy> oldest(Collection<PeerAuthPolicy> policies,
            java.util.function.Predicate<PeerAuthPolicy> in) {
        return policies.stream().filter(in).min(PeerAuthPolicy.OLDEST_FIRST);
    }
}
