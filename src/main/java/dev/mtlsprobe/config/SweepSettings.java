package dev.mtlsprobe.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The coverage sweep ({@code mtls-probe.sweep.*}): which namespaces to sweep, how often and how gently. Off unless
 * namespaces are named or selected: the sweep never covers the whole cluster by default.
 *
 * @param namespaces          namespaces swept by name
 * @param namespaceSelector   namespaces swept by their labels (every label must match), empty for none
 * @param interval            each endpoint port is checked once per interval, the checks spread over it
 * @param rate                checks per second at most, over all namespaces
 * @param concurrency         checks in flight at most
 * @param maxServicePorts     service ports covered at most; the rest are skipped and counted
 * @param maxEndpointsPerPort ready endpoints checked per service port at most; the rest are skipped and counted
 */
public record SweepSettings(List<String> namespaces, Map<String, String> namespaceSelector, Duration interval,
        double rate, int concurrency, int maxServicePorts, int maxEndpointsPerPort) {

    private static final String P = "mtls-probe.sweep.";
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    // A label key: an optional DNS-subdomain prefix and a name; a value: at most 63 of [A-Za-z0-9-_.], alphanumeric
    // at both ends.
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    public SweepSettings {
        namespaces = List.copyOf(namespaces);
        namespaceSelector = Map.copyOf(namespaceSelector);
    }

    /** True when namespaces are named or selected. */
    public boolean enabled() {
        return !namespaces.isEmpty() || !namespaceSelector.isEmpty();
    }

    static SweepSettings read(ConfigReader reader) {
        Optional<ConfigReader.Read> names = reader.read(P + "namespaces");
        Optional<ConfigReader.Read> selector = reader.read(P + "namespace-selector");
        List<String> namespaces = names.map(SweepSettings::namespaces).orElse(List.of());
        Map<String, String> labels = selector.map(SweepSettings::selector).orElse(Map.of());
        Duration interval = reader.bounded(P + "interval", "5m", Duration.ofSeconds(10),
                "each port is checked once per interval; faster is a load test", Duration.ofHours(24),
                "a port that starts accepting plaintext would go unseen that long");
        double rate = reader.number(P + "rate", 5, 0.1, 200, "checks per second over all namespaces");
        int concurrency = reader.integer(P + "concurrency", 4, 1, 64, "checks in flight at once");
        int ports = reader.integer(P + "max-service-ports", 500, 1, 100_000, "service ports covered");
        // 500 ports x 3 endpoints = 1,500 checks: one 5-minute round at 5 checks/s, so the defaults fit together.
        int endpoints = reader.integer(P + "max-endpoints-per-port", 3, 1, 1000, "endpoints checked per port");
        SweepSettings s = new SweepSettings(namespaces, labels, interval, rate, concurrency, ports, endpoints);
        if (!s.enabled()) {
            for (String key : List.of("interval", "rate", "concurrency", "max-service-ports",
                    "max-endpoints-per-port")) {
                reader.read(P + key).ifPresent(r -> {
                    throw new InvalidConfigException(r.key(), r.value(), "sets nothing while the sweep is off; "
                            + "name the namespaces to sweep with " + P + "namespaces (e.g. team-app) or select "
                            + "them with " + P + "namespace-selector (e.g. mtls-probe.dev/sweep=true)");
                });
            }
        }
        return s;
    }

    private static List<String> namespaces(ConfigReader.Read r) {
        List<String> out = new ArrayList<>();
        for (String part : r.value().split(",", -1)) {
            String ns = part.trim();
            if (!NAMESPACE.matcher(ns).matches()) {
                throw new InvalidConfigException(r.key(), r.value(), "not a comma-separated list of namespace names "
                        + "(lower-case letters, digits and '-', at most 63 each); use e.g. team-app,payments");
            }
            if (!out.contains(ns)) {
                out.add(ns);
            }
        }
        return out;
    }

    private static Map<String, String> selector(ConfigReader.Read r) {
        Map<String, String> labels = new TreeMap<>();
        for (String part : r.value().split(",", -1)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? "" : part.substring(0, eq).trim();
            String value = eq < 0 ? "" : part.substring(eq + 1).trim();
            if (eq < 0 || !LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()
                    || labels.put(key, value) != null) {
                throw new InvalidConfigException(r.key(), r.value(), "not a label selector of key=value pairs "
                        + "(every pair must match, each key once); use e.g. mtls-probe.dev/sweep=true");
            }
        }
        return labels;
    }
}
