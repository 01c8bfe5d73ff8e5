package dev.mtlsprobe.config;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Refuses keys under the {@code mtls-probe} prefix that set nothing. A misspelt key ({@code MTLS_PROBE_TIMEOUTS})
 * would otherwise be ignored without a word and the probe would run on a default the user meant to change.
 */
final class KnownKeys {

    /** Every key outside {@code targets}, in property form. */
    static final List<String> KEYS = List.of("interval", "timeout", "role", "max-concurrent-attempts",
            "podinfo.annotations", "podinfo.labels",
            "sidecar.ready-url", "demo.enabled", "demo.policy", "kubernetes.enabled", "kubernetes.pod-name",
            "kubernetes.pod-namespace", "kubernetes.root-namespace", "kubernetes.cluster-domain",
            "kubernetes.check-interval", "peer.enabled", "peer.url", "peer.timeout", "page.runbook-url-pattern",
            "sweep.namespaces", "sweep.namespace-selector", "sweep.interval", "sweep.rate", "sweep.concurrency",
            "sweep.max-service-ports", "sweep.max-endpoints-per-port");

    private static final String PREFIX = "mtls-probe.";
    private static final String ENV_PREFIX = "MTLS_PROBE_";
    // Kubernetes injects these for a Service named mtls-probe (or the pair's mtls-probe-sidecar and
    // mtls-probe-naked) when service links are on (Docker link style).
    private static final Pattern SERVICE_LINK = Pattern.compile(
            "MTLS_PROBE_((SIDECAR|NAKED)_)?(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)");

    private KnownKeys() {
    }

    /** Throws for the first key under the prefix that is neither a known key nor a target setting. */
    static void check(Iterable<String> keys) {
        for (String key : keys) {
            if (key.startsWith(TargetKeys.PREFIX) || key.startsWith(TargetKeys.ENV_PREFIX)) {
                continue; // TargetKeys judges these
            }
            boolean property = key.startsWith(PREFIX);
            boolean env = key.startsWith(ENV_PREFIX);
            if (!property && !env || SERVICE_LINK.matcher(key).matches()) {
                continue;
            }
            String rest = key.substring(property ? PREFIX.length() : ENV_PREFIX.length());
            if (KEYS.stream().noneMatch(k -> (property ? k : env(k)).equals(rest))) {
                String nearest = nearest(property ? rest : rest.toLowerCase(Locale.ROOT).replace('_', '-'));
                throw new InvalidConfigException(InvalidConfigException.visible(key)
                        + ": not a setting of mtls-probe" + (nearest == null ? "" : "; did you mean "
                                + (property ? PREFIX + nearest : ENV_PREFIX + env(nearest)) + "?")
                        + " (all settings: docs/configuration.md)");
            }
        }
    }

    private static String env(String key) {
        return ConfigReader.env(key);
    }

    /** The known key closest in spelling, when it is close enough to be a typo. */
    private static String nearest(String written) {
        String best = null;
        int bestDistance = 4;
        for (String k : KEYS) {
            int d = distance(written.replace('.', '-'), k.replace('.', '-'));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
