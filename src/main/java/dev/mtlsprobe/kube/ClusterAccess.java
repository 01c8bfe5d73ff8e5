package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.KubeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Whether this process can talk to a Kubernetes API at all, decided from files and settings only (no
 * network): without a service account, a kubeconfig or an explicit API URL the client would fall back to
 * {@code kubernetes.default.svc}, and a probe outside a cluster must not look that name up.
 */
final class ClusterAccess {

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /** The places the client reads its settings from. */
    record Sources(UnaryOperator<String> config, UnaryOperator<String> env, UnaryOperator<String> system,
            Path serviceAccountToken, Path home) {
    }

    private ClusterAccess() {
    }

    /**
     * Whether the Kubernetes features are on, and in a sentence why not or how the API is reached.
     *
     * @param on   true when the features are on; {@code text} then says how the API is reached
     */
    record Decision(boolean on, String text) {
    }

    static Decision decide(KubeSettings s, Sources sources) {
        if (!s.enabled()) {
            return new Decision(false, "turned off by mtls-probe.kubernetes.enabled=false");
        }
        if (s.podNamespace().isEmpty()) {
            return new Decision(false, "not in a pod: POD_NAMESPACE (mtls-probe.kubernetes.pod-namespace) is not set");
        }
        return how(sources).map(how -> new Decision(true, "pod " + s.podNamespace().get() + "/"
                + s.podName().orElse("(POD_NAME not set)") + ", API via " + how))
                .orElse(new Decision(false,
                        "no Kubernetes API to talk to: no service account token, no kubeconfig, no API server URL"));
    }

    /** @return how the API is reached (for the log), or empty when it cannot be */
    static Optional<String> how(Sources s) {
        for (String key : new String[] {"quarkus.kubernetes-client.api-server-url",
            "quarkus.kubernetes-client.master-url"}) {
            if (present(s.config().apply(key))) {
                return Optional.of(key + "=" + s.config().apply(key));
            }
        }
        if (present(s.system().apply("kubernetes.master"))) {
            return Optional.of("kubernetes.master=" + s.system().apply("kubernetes.master"));
        }
        if (present(s.env().apply("KUBERNETES_MASTER"))) {
            return Optional.of("KUBERNETES_MASTER=" + s.env().apply("KUBERNETES_MASTER"));
        }
        if (!"false".equalsIgnoreCase(s.system().apply("kubernetes.auth.tryServiceAccount"))
                && present(s.env().apply("KUBERNETES_SERVICE_HOST")) && Files.isRegularFile(s.serviceAccountToken())) {
            return Optional.of("the pod's service account");
        }
        if (!"false".equalsIgnoreCase(s.system().apply("kubernetes.auth.tryKubeConfig"))) {
            String configured = s.config().apply("quarkus.kubernetes-client.kubeconfig-file");
            if (present(configured) && Files.isRegularFile(Path.of(configured))) {
                return Optional.of("kubeconfig " + configured);
            }
            String list = s.env().apply("KUBECONFIG");
            if (present(list)) {
                for (String file : list.split(java.io.File.pathSeparator)) {
                    if (!file.isBlank() && Files.isRegularFile(Path.of(file))) {
                        return Optional.of("kubeconfig " + file);
                    }
                }
            } else if (s.home() != null && Files.isRegularFile(s.home().resolve(".kube/config"))) {
                return Optional.of("kubeconfig " + s.home().resolve(".kube/config"));
            }
        }
        return Optional.empty();
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }
}
