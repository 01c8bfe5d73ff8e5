package dev.mtlsprobe.sweep;

import dev.mtlsprobe.kube.MtlsMode;

/**
 * What one endpoint's port is expected to do with plaintext, and why: the PeerAuthentication mode in force for
 * its pod and port, and what stands between the network and the application on that port.
 *
 * @param mode       STRICT, PERMISSIVE or DISABLE, or null when it cannot be known
 * @param protection what would enforce the mode
 * @param why        one sentence: the deciding policy and the pod's protection
 */
public record Expectation(MtlsMode mode, Protection protection, String why) {

    /** What would enforce a policy on the port. */
    public enum Protection {
        /** the pod's sidecar captures the port */
        SIDECAR("sidecar"),
        /** no sidecar, but the pod is in the ambient mesh: ztunnel carries its traffic */
        AMBIENT("ambient"),
        /** the pod has no sidecar and is not in the ambient mesh: nothing enforces a policy */
        NO_SIDECAR("no-sidecar"),
        /** the pod has a sidecar, but its annotations keep this port out of the redirect */
        NOT_CAPTURED("not-captured"),
        /** no pod is known behind the endpoint */
        UNKNOWN("unknown");

        private final String label;

        Protection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean strict() {
        return mode == MtlsMode.STRICT;
    }

    /** STRICT by policy, yet nothing on the pod could enforce it: a finding as soon as plaintext is answered. */
    public boolean unenforceable() {
        return strict() && (protection == Protection.NO_SIDECAR || protection == Protection.NOT_CAPTURED);
    }

    /** {@code STRICT}, {@code PERMISSIVE}, {@code DISABLE} or {@code unknown}. */
    public String expected() {
        return mode == null ? "unknown" : mode.name();
    }
}
