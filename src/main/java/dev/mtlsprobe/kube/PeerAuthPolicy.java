package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of a PeerAuthentication that decide the effective mode.
 *
 * @param selector  {@code spec.selector.matchLabels}; empty means namespace- or mesh-wide, as in Istio
 * @param mode      {@code spec.mtls.mode}; UNSET when absent
 * @param portModes {@code spec.portLevelMtls}, keyed by workload (container) port
 */
public record PeerAuthPolicy(String namespace, String name, Instant created, Map<String, String> selector,
        MtlsMode mode, Map<Integer, MtlsMode> portModes) {

    /** Istio's order within one scope: the oldest wins, then the name. */
    static final Comparator<PeerAuthPolicy> OLDEST_FIRST = Comparator
            .comparing((PeerAuthPolicy p) -> p.created()).thenComparing(p -> p.name());

    public PeerAuthPolicy {
        selector = Map.copyOf(selector);
        portModes = Map.copyOf(portModes);
    }

    public String ref() {
        return namespace + "/" + name;
    }

    boolean hasSelector() {
        return !selector.isEmpty();
    }

    /** True when every selector label is on the workload (matchLabels semantics). */
    boolean selects(Map<String, String> labels) {
        return hasSelector() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** Reads the resource as served; malformed parts are treated the way Istio treats missing ones. */
    public static PeerAuthPolicy of(GenericKubernetesResource r) {
        var meta = r.getMetadata();
        Map<String, String> selector = new TreeMap<>();
        if (r.get("spec", "selector", "matchLabels") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> selector.put(String.valueOf(k), String.valueOf(v)));
        }
        Map<Integer, MtlsMode> ports = new TreeMap<>();
        if (r.get("spec", "portLevelMtls") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                try {
                    int port = Integer.parseInt(String.valueOf(k).trim());
                    ports.put(port, MtlsMode.parse(v instanceof Map<?, ?> pm ? pm.get("mode") : null));
                } catch (NumberFormatException ignored) {
                    // Istio rejects non-numeric keys at admission; nothing to apply
                }
            });
        }
        Object mtls = r.get("spec", "mtls");
        MtlsMode mode = MtlsMode.parse(mtls instanceof Map<?, ?> mm ? mm.get("mode") : null);
        return new PeerAuthPolicy(meta.getNamespace(), meta.getName(), created(meta.getCreationTimestamp()), selector,
                mode, ports);
    }

    private static Instant created(String timestamp) {
        try {
            return timestamp == null ? Instant.EPOCH : Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
