package dev.mtlsprobe.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key of mtls-probe (prefix {@code mtls-probe}; each key also works as an environment
 * variable, e.g. {@code MTLS_PROBE_TARGETS_HTTPBIN_URL}).
 *
 * <ul>
 *   <li>{@code mtls-probe.interval} (default {@code 5s}): time between attempts per target.</li>
 *   <li>{@code mtls-probe.timeout} (default {@code 2s}): connect + response budget, shorter than the interval.</li>
 *   <li>{@code mtls-probe.role} (default {@code auto}): {@code auto}, {@code sidecar} or {@code naked}.</li>
 *   <li>{@code mtls-probe.targets."NAME".url} (required, at least one target): an http or https URL.</li>
 *   <li>{@code mtls-probe.targets."NAME".expected-server-id} (optional): SPIFFE ID the server must present.</li>
 *   <li>{@code mtls-probe.targets."NAME".expected-client-id} (optional): SPIFFE ID the client must present.</li>
 *   <li>{@code mtls-probe.podinfo.annotations} (default {@code /etc/podinfo/annotations}): downward-API file.</li>
 *   <li>{@code mtls-probe.podinfo.labels} (default {@code /etc/podinfo/labels}): downward-API file.</li>
 *   <li>{@code mtls-probe.sidecar.ready-url} (default {@code http://127.0.0.1:15021/healthz/ready}): the
 *       sidecar's readiness endpoint, polled in the sidecar role.</li>
 *   <li>{@code mtls-probe.demo.enabled} (default {@code false}; {@code true} in dev mode): run the embedded demo
 *       mesh and probe through it in both roles. Has no effect in the packaged application.</li>
 *   <li>{@code mtls-probe.demo.policy} (default {@code STRICT}): the demo mesh's initial PeerAuthentication mode.</li>
 * </ul>
 *
 * Durations and the role are read as text and validated by {@link ProbeSettings} so that a bad value gets
 * one line naming the key and the fix instead of a conversion stack trace.
 */
@ConfigMapping(prefix = "mtls-probe")
public interface MtlsProbeConfig {

    @WithDefault("5s")
    String interval();

    @WithDefault("2s")
    String timeout();

    @WithDefault("auto")
    String role();

    Map<String, TargetConfig> targets();

    PodInfo podinfo();

    Sidecar sidecar();

    Demo demo();

    interface Demo {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("STRICT")
        String policy();
    }

    interface TargetConfig {
        Optional<String> url();

        Optional<String> expectedServerId();

        Optional<String> expectedClientId();
    }

    interface Sidecar {
        @WithDefault("http://127.0.0.1:15021/healthz/ready")
        String readyUrl();
    }

    interface PodInfo {
        @WithDefault("/etc/podinfo/annotations")
        String annotations();

        @WithDefault("/etc/podinfo/labels")
        String labels();
    }
}
