package dev.mtlsprobe.kube;

/**
 * The PeerAuthentication mode in force for one workload, and why.
 *
 * @param mode   STRICT, PERMISSIVE or DISABLE (never UNSET)
 * @param policy {@code namespace/name} of the policy that decided it, or null when none did (Istio's default)
 * @param scope  {@code workload-port}, {@code workload}, {@code namespace}, {@code mesh} or {@code default}
 * @param reason one sentence naming the deciding policy and the ones it overrode or inherited past
 */
public record ModeDecision(MtlsMode mode, String policy, String scope, String reason) {
}
