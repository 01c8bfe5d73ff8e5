package dev.mtlsprobe.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated {@code mtls-probe.kubernetes.*} keys; pod name and namespace fall back to the downward-API
 * variables {@code POD_NAME} and {@code POD_NAMESPACE}.
 */
public record KubeSettings(boolean enabled, Optional<String> podName, Optional<String> podNamespace,
        String rootNamespace, String clusterDomain, Duration checkInterval) {

    private static final String P = "mtls-probe.kubernetes.";
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    static KubeSettings read(ConfigReader reader) {
        Optional<String> podName = reader.text(P + "pod-name").or(() -> reader.text("POD_NAME"));
        Optional<String> podNamespace = reader.read(P + "pod-namespace").or(() -> reader.read("POD_NAMESPACE"))
                .map(KubeSettings::label);
        String root = reader.read(P + "root-namespace").map(KubeSettings::label).orElse("istio-system");
        ConfigReader.Read domain = reader.read(P + "cluster-domain")
                .orElse(new ConfigReader.Read(P + "cluster-domain", "cluster.local"));
        if (!DOMAIN.matcher(domain.value().toLowerCase(Locale.ROOT)).matches()) {
            throw new InvalidConfigException(domain.key(), domain.value(),
                    "not a DNS domain; use the cluster's domain, e.g. cluster.local");
        }
        Duration check = reader.bounded(P + "check-interval", "10s", Duration.ofMillis(100),
                "the API is read on every check", Duration.ofHours(1), "an API problem would go unseen that long");
        return new KubeSettings(reader.bool(P + "enabled", true), podName, podNamespace, root,
                domain.value().toLowerCase(Locale.ROOT), check);
    }

    private static String label(ConfigReader.Read r) {
        if (!DNS_LABEL.matcher(r.value()).matches()) {
            throw new InvalidConfigException(r.key(), r.value(),
                    "not a namespace name (lower-case letters, digits and '-', at most 63)");
        }
        return r.value();
    }
}
