package dev.mtlsprobe.metrics;

import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.kube.KubeSeries;
import dev.mtlsprobe.kube.MtlsMode;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.role.CurrentRole;
import dev.mtlsprobe.role.SidecarReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The process-wide series of the contract, read at scrape time from the parts that own the state: build and
 * interval, the detected role, the sidecar's readiness (sidecar role only) and the Kubernetes view (only when
 * the Kubernetes features are on: outside a cluster those series would be made up, so they are absent).
 */
@ApplicationScoped
public class ProcessFamilies {

    private final Settings settings;
    private final CurrentRole role;
    private final SidecarReadiness sidecar;
    private final KubeAwareness kube;
    private final String version;

    public ProcessFamilies(Settings settings, CurrentRole role, SidecarReadiness sidecar, KubeAwareness kube,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.settings = settings;
        this.role = role;
        this.sidecar = sidecar;
        this.kube = kube;
        this.version = version;
    }

    void write(Exposition out) {
        out.header("mtls_probe_build_info", "gauge", "Build of the probe");
        out.open("mtls_probe_build_info").label("version", version, true).close().flag(true);
        out.header("mtls_probe_interval_seconds", "gauge", "The configured time between attempts per target");
        out.plain("mtls_probe_interval_seconds", settings.probe().interval().toMillis() / 1000.0);
        RoleState state = role.get();
        out.header("mtls_probe_role_mismatch", "gauge", "1 when the detected role differs from the intended one");
        out.plain("mtls_probe_role_mismatch", state != null && state.mismatch() ? 1 : 0);
        if (state != null) {
            out.header("mtls_probe_role_info", "gauge", "The detected role");
            out.open("mtls_probe_role_info").label("role", state.role().label(), true)
                    .label("source", state.source(), false).close().flag(true);
        }
        Optional<Boolean> ready = sidecar.state();
        if (ready.isPresent()) {
            out.header("mtls_probe_sidecar_ready", "gauge", "1 when the sidecar answers its readiness endpoint");
            out.plain("mtls_probe_sidecar_ready", ready.get() ? 1 : 0);
        }
        kube.series().ifPresent(k -> kube(out, k));
    }

    private static void kube(Exposition out, KubeSeries k) {
        out.header("mtls_probe_kube_api_up", "gauge", "1 when the Kubernetes API calls and watches of the probe succeed");
        out.plain("mtls_probe_kube_api_up", k.apiUp() ? 1 : 0);
        if (!k.modes().isEmpty()) {
            out.header("mtls_probe_peer_authentication_mode", "gauge",
                    "1 for the PeerAuthentication mode in force for the target workload");
            for (KubeSeries.Mode m : k.modes()) {
                for (MtlsMode mode : MtlsMode.EFFECTIVE) {
                    out.open("mtls_probe_peer_authentication_mode").label("mode", mode.name(), true)
                            .label("target", m.target(), false).label("target_namespace", m.namespace(), false)
                            .close().flag(mode == m.mode());
                }
            }
        }
        if (!k.injection().isEmpty()) {
            out.header("mtls_probe_namespace_injection_enabled", "gauge",
                    "1 when the namespace has istio-injection=enabled or istio.io/rev");
            for (Map.Entry<String, Boolean> e : new java.util.TreeMap<>(k.injection()).entrySet()) {
                out.open("mtls_probe_namespace_injection_enabled").label("target_namespace", e.getKey(), true)
                        .close().flag(e.getValue());
            }
        }
    }
}
