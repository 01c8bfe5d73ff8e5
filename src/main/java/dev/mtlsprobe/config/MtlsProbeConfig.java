package dev.mtlsprobe.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
 *   <li>{@code mtls-probe.targets."NAME".echo} (default: true when the URL path is {@code /headers}): whether the
 *       target echoes request headers, so that mTLS can be observed.</li>
 *   <li>{@code mtls-probe.podinfo.annotations} (default {@code /etc/podinfo/annotations}): downward-API file.</li>
 *   <li>{@code mtls-probe.podinfo.labels} (default {@code /etc/podinfo/labels}): downward-API file.</li>
 *   <li>{@code mtls-probe.sidecar.ready-url} (default {@code http://127.0.0.1:15021/healthz/ready}): the
 *       sidecar's readiness endpoint, polled in the sidecar role.</li>
 *   <li>{@code mtls-probe.demo.enabled} (default {@code false}; {@code true} in dev mode): run the embedded demo
 *       mesh and probe through it in both roles. Has no effect in the packaged application.</li>
 *   <li>{@code mtls-probe.demo.policy} (default {@code STRICT}): the demo mesh's initial PeerAuthentication mode.</li>
 *   <li>{@code mtls-probe.kubernetes.enabled} (default {@code true}): read the pod, Services, namespaces and
 *       PeerAuthentications from the Kubernetes API when running in a cluster; {@code false} turns it off.</li>
 *   <li>{@code mtls-probe.kubernetes.pod-name} (default env {@code POD_NAME}): the probe's own pod.</li>
 *   <li>{@code mtls-probe.kubernetes.pod-namespace} (default env {@code POD_NAMESPACE}): its namespace; without
 *       it the probe is not in a pod and the Kubernetes features are off.</li>
 *   <li>{@code mtls-probe.kubernetes.root-namespace} (default {@code istio-system}): Istio's root namespace,
 *       where mesh-wide PeerAuthentications live.</li>
 *   <li>{@code mtls-probe.kubernetes.cluster-domain} (default {@code cluster.local}): the suffix of
 *       {@code name.namespace.svc.<domain>} target hosts.</li>
 *   <li>{@code mtls-probe.kubernetes.check-interval} (default {@code 10s}): how often the API is checked
 *       (own pod, watch health) between watch events.</li>
 * </ul>
 *
 * Durations and the role are read as text and validated by {@link ProbeSettings} so that a bad value gets
 * one line naming the key and the fix instead of a conversion stack trace. Targets are not part of this mapping:
 * {@link TargetKeys} finds them from key names, which is the only way to read names from environment variables.
 */
@ConfigMapping(prefix = "mtls-probe")
public interface MtlsProbeConfig {

    @WithDefault("5s")
    String interval();

    @WithDefault("2s")
    String timeout();

    @WithDefault("auto")
    String role();

    PodInfo podinfo();

    Sidecar sidecar();

    Demo demo();

    interface Demo {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("STRICT")
        String policy();
    }

    Kubernetes kubernetes();

    interface Sidecar {
        @WithDefault("http://127.0.0.1:15021/healthz/ready")
        String readyUrl();
    }

    interface Kubernetes {
        @WithDefault("true")
        boolean enabled();

        Optional<String> podName();

        Optional<String> podNamespace();

        @WithDefault("istio-system")
        String rootNamespace();

        @WithDefault("cluster.local")
        String clusterDomain();

        @WithDefault("10s")
        String checkInterval();
    }

    interface PodInfo {
        @WithDefault("/etc/podinfo/annotations")
        String annotations();

        @WithDefault("/etc/podinfo/labels")
        String labels();
    }
}
