package dev.mtlsprobe.kube;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.InvalidConfigException;
import dev.mtlsprobe.config.MtlsProbeConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** The validated {@code mtls-probe.kubernetes.*} keys; pod name and namespace fall back to the downward-API env. */
public record KubeSettings(boolean enabled, Optional<String> podName, Optional<String> podNamespace,
        String rootNamespace, String clusterDomain, Duration checkInterval) {

    private static final String P = "mtls-probe.kubernetes.";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    public static KubeSettings from(MtlsProbeConfig.Kubernetes k, UnaryOperator<String> env) {
        Optional<String> podName = k.podName().or(() -> Optional.ofNullable(env.apply("POD_NAME")))
                .map(String::trim).filter(s -> !s.isEmpty());
        Optional<String> podNamespace = k.podNamespace().or(() -> Optional.ofNullable(env.apply("POD_NAMESPACE")))
                .map(String::trim).filter(s -> !s.isEmpty());
        podNamespace.ifPresent(ns -> label("pod-namespace", ns));
        String root = label("root-namespace", k.rootNamespace().trim());
        String domain = k.clusterDomain().trim().toLowerCase(java.util.Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw new InvalidConfigException(P + "cluster-domain", k.clusterDomain(),
                    "not a DNS domain; use the cluster's domain, e.g. cluster.local");
        }
        Duration check = Durations.parse(k.checkInterval());
        if (check == null || check.isZero() || check.isNegative()) {
            throw new InvalidConfigException(P + "check-interval", k.checkInterval(),
                    "not a positive duration; use e.g. 10s, 500ms or 1m");
        }
        return new KubeSettings(k.enabled(), podName, podNamespace, root, domain, check);
    }

    private static String label(String key, String value) {
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new InvalidConfigException(P + key, value,
                    "not a namespace name (lower-case letters, digits and '-', at most 63)");
        }
        return value;
    }
}
