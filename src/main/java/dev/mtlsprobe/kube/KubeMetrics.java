package dev.mtlsprobe.kube;

import java.util.Map;
import java.util.TreeMap;

/**
 * The last known values of the Kubernetes series: a target's mode stays as it was while the API cannot say, and
 * goes away only when its Service does (or its namespace, for injection).
 */
final class KubeMetrics {

    private final Map<String, KubeSeries.Mode> modes = new TreeMap<>();
    private final Map<String, Boolean> injection = new TreeMap<>();

    /** Sets the mode in force for a target; a null mode removes the target's series (nothing to say). */
    synchronized void mode(String target, String namespace, MtlsMode mode) {
        if (mode == null) {
            modes.remove(target);
        } else {
            modes.put(target, new KubeSeries.Mode(target, namespace, mode));
        }
    }

    /** Sets the injection state of a target namespace; null removes it (the namespace is gone). */
    synchronized void injection(String namespace, Boolean enabled) {
        if (enabled == null) {
            injection.remove(namespace);
        } else {
            injection.put(namespace, enabled);
        }
    }

    synchronized KubeSeries snapshot(boolean apiUp) {
        return new KubeSeries(apiUp, java.util.List.copyOf(modes.values()), Map.copyOf(injection));
    }
}
