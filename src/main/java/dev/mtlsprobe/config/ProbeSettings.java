package dev.mtlsprobe.config;

import dev.mtlsprobe.probe.SpiffeId;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The validated configuration. {@link #from} is the only way in: every bad value becomes an
 * {@link InvalidConfigException} whose single line names the key, the value and the fix.
 */
public record ProbeSettings(Duration interval, Duration timeout, RoleSetting role, List<TargetSpec> targets,
        Path annotationsFile, Path labelsFile, TargetSpec sidecarReady) {

    private static final String P = "mtls-probe.";
    // Target names become label values; keep them short and plain.
    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

    public ProbeSettings {
        targets = List.copyOf(targets);
    }

    public static ProbeSettings from(MtlsProbeConfig config) {
        Duration interval = positiveDuration("interval", config.interval(), "5s");
        Duration timeout = positiveDuration("timeout", config.timeout(), "2s");
        if (timeout.compareTo(interval) >= 0) {
            throw new InvalidConfigException(P + "timeout", config.timeout(),
                    "must be shorter than " + P + "interval (" + Durations.format(interval)
                            + ") so that attempts for one target never overlap; lower the timeout or raise the interval");
        }
        RoleSetting role = RoleSetting.parse(config.role()).orElseThrow(() -> new InvalidConfigException(
                P + "role", config.role(), "unknown role; use auto, sidecar or naked"));
        return new ProbeSettings(interval, timeout, role, targets(config.targets()),
                Path.of(config.podinfo().annotations()), Path.of(config.podinfo().labels()),
                url(P + "sidecar.ready-url", "sidecar-ready", config.sidecar().readyUrl(), Optional.empty(),
                        Optional.empty()));
    }

    private static Duration positiveDuration(String key, String text, String example) {
        Duration d = Durations.parse(text);
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidConfigException(P + key, text,
                    "not a positive duration; use e.g. " + example + ", 500ms or 1m");
        }
        return d;
    }

    private static List<TargetSpec> targets(Map<String, MtlsProbeConfig.TargetConfig> configured) {
        if (configured.isEmpty()) {
            throw new InvalidConfigException("no target configured: set at least one, e.g. "
                    + P + "targets.httpbin.url=http://httpbin-svc:8080/headers (env MTLS_PROBE_TARGETS_HTTPBIN_URL)");
        }
        List<TargetSpec> specs = new ArrayList<>();
        for (var e : new TreeMap<>(configured).entrySet()) {
            specs.add(target(e.getKey(), e.getValue()));
        }
        return specs;
    }

    private static TargetSpec target(String name, MtlsProbeConfig.TargetConfig t) {
        String prefix = P + "targets.\"" + name + "\".";
        if (!TARGET_NAME.matcher(name).matches()) {
            throw new InvalidConfigException(P + "targets", name,
                    "target names are label values: 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String url = t.url().orElseThrow(() -> new InvalidConfigException(prefix + "url", null,
                "every target needs a URL, e.g. http://httpbin-svc:8080/headers"));
        return url(prefix + "url", name, url, spiffe(prefix + "expected-server-id", t.expectedServerId()),
                spiffe(prefix + "expected-client-id", t.expectedClientId()));
    }

    private static TargetSpec url(String key, String name, String url, Optional<String> expectedServerId,
            Optional<String> expectedClientId) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key, url, "not a URL; use e.g. http://httpbin-svc:8080/headers");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidConfigException(key, url,
                    "the scheme must be http or https (the probe speaks plain HTTP and lets the sidecar add mTLS)");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new InvalidConfigException(key, url,
                    "the URL has no host; use e.g. http://httpbin-svc:8080/headers");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(key, url, "port " + port + " is out of range; use 1-65535");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new TargetSpec(name, url.trim(), https, host, port, requestTarget, expectedServerId,
                expectedClientId);
    }

    private static Optional<String> spiffe(String key, Optional<String> value) {
        Optional<String> v = value.map(String::trim).filter(s -> !s.isEmpty());
        if (v.isPresent() && !SpiffeId.isValid(v.get())) {
            throw new InvalidConfigException(key, v.get(),
                    "not a SPIFFE ID; use e.g. spiffe://cluster.local/ns/team-app/sa/httpbin");
        }
        return v;
    }
}
