package dev.mtlsprobe.kube;

import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes series of the contract show right now.
 *
 * @param modes     the effective mode per target, for targets whose policy is known
 * @param injection per target namespace, whether it has sidecar injection
 */
public record KubeSeries(boolean apiUp, List<Mode> modes, Map<String, Boolean> injection) {

    /** The mode in force for one target's workload. */
    public record Mode(String target, String namespace, MtlsMode mode) {
    }
}
