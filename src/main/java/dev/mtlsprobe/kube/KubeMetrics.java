package dev.mtlsprobe.kube;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Kubernetes series of the contract. Registered only when the Kubernetes features are on: outside a
 * cluster they would be made up, so they are absent.
 */
final class KubeMetrics {

    private final MeterRegistry registry;
    private final Map<String, ModeSeries> modes = new HashMap<>();
    private final Map<String, Gauge> injection = new HashMap<>();
    private final Map<String, AtomicInteger> injectionValues = new HashMap<>();

    private record ModeSeries(String namespace, AtomicInteger[] values, List<Meter> meters) {
    }

    KubeMetrics(MeterRegistry registry, AtomicInteger apiUp) {
        this.registry = registry;
        Gauge.builder("mtls.probe.kube.api.up", apiUp, AtomicInteger::get)
                .description("1 when the Kubernetes API calls and watches of the probe succeed").strongReference(true)
                .register(registry);
    }

    /** Sets the mode in force for a target; a null mode removes the target's series (nothing to say). */
    synchronized void mode(String target, String namespace, MtlsMode mode) {
        ModeSeries s = modes.get(target);
        if (s != null && (mode == null || !s.namespace().equals(namespace))) {
            s.meters().forEach(registry::remove);
            modes.remove(target);
            s = null;
        }
        if (mode == null) {
            return;
        }
        if (s == null) {
            AtomicInteger[] values = new AtomicInteger[MtlsMode.EFFECTIVE.length];
            List<Meter> meters = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                values[i] = new AtomicInteger(MtlsMode.EFFECTIVE[i] == mode ? 1 : 0);
                meters.add(Gauge.builder("mtls.probe.peer.authentication.mode", values[i], AtomicInteger::get)
                        .description("1 for the PeerAuthentication mode in force for the target workload")
                        .tags(Tags.of("target", target, "target_namespace", namespace, "mode",
                                MtlsMode.EFFECTIVE[i].name()))
                        .strongReference(true).register(registry));
            }
            modes.put(target, new ModeSeries(namespace, values, meters));
            return;
        }
        for (int i = 0; i < s.values().length; i++) {
            s.values()[i].set(MtlsMode.EFFECTIVE[i] == mode ? 1 : 0);
        }
    }

    /** Sets the injection state of a target namespace; null removes it (the namespace is gone). */
    synchronized void injection(String namespace, Boolean enabled) {
        if (enabled == null) {
            Gauge g = injection.remove(namespace);
            injectionValues.remove(namespace);
            if (g != null) {
                registry.remove(g);
            }
            return;
        }
        AtomicInteger v = injectionValues.computeIfAbsent(namespace, ns -> new AtomicInteger());
        v.set(enabled ? 1 : 0);
        injection.computeIfAbsent(namespace, ns -> Gauge.builder("mtls.probe.namespace.injection.enabled", v,
                AtomicInteger::get).description("1 when the namespace has istio-injection=enabled or istio.io/rev")
                .tag("target_namespace", ns).strongReference(true).register(registry));
    }
}
