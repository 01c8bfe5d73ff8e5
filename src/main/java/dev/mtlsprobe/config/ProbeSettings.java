package dev.mtlsprobe.config;

import dev.mtlsprobe.model.Protocol;
import dev.mtlsprobe.model.SpiffeId;
import dev.mtlsprobe.model.TargetSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * The validated configuration. {@link #from} is the only way in: every bad value becomes an
 * {@link InvalidConfigException} whose single line names the key, the value and the fix.
 */
public record ProbeSettings(Duration interval, Duration timeout, RoleSetting role, List<TargetSpec> targets,
        Path annotationsFile, Path labelsFile, URI sidecarReady, int maxConcurrentAttempts) {

    /** The default cap on attempts in flight: 1,000 hanging targets at the default interval and timeout need 400. */
    public static final int MAX_CONCURRENT_ATTEMPTS = 512;

    public ProbeSettings(Duration interval, Duration timeout, RoleSetting role, List<TargetSpec> targets,
            Path annotationsFile, Path labelsFile, URI sidecarReady) {
        this(interval, timeout, role, targets, annotationsFile, labelsFile, sidecarReady, MAX_CONCURRENT_ATTEMPTS);
    }

    private static final String P = "mtls-probe.";
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(50);
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    public ProbeSettings {
        targets = List.copyOf(targets);
    }

    /** Where the downward-API volume of the pod spec puts its files. */
    public static final String ANNOTATIONS_FILE = "/etc/podinfo/annotations";
    public static final String LABELS_FILE = "/etc/podinfo/labels";

    /**
     * @param names the names of all keys: targets are found from them, so that a variable such as
     *              {@code MTLS_PROBE_TARGETS_ORDERS_API_URL} is read, never dropped
     */
    static ProbeSettings read(ConfigReader reader, Config raw, List<String> names) {
        Duration interval = reader.bounded(P + "interval", "5s", MIN_INTERVAL,
                "a target is called at most 10 times a second", MAX_INTERVAL, "staleness alerts wait 3 intervals");
        Duration timeout = reader.bounded(P + "timeout", "2s", MIN_TIMEOUT,
                "below it even loopback is not measured reliably", MAX_TIMEOUT, "no answer that late proves anything");
        // A fifth of the interval stays free: an attempt that ends right at its timeout must be done before the
        // next tick, or every other tick is skipped.
        Duration longest = interval.minus(interval.dividedBy(5));
        if (timeout.compareTo(longest) > 0) {
            ConfigReader.Read t = reader.read(P + "timeout").orElseThrow();
            throw new InvalidConfigException(t.key(), t.value(), "must leave a fifth of "
                    + P + "interval (" + Durations.format(interval) + ") free so that an attempt ends before the next "
                    + "one is due; use at most " + Durations.format(longest) + " or raise the interval");
        }
        ConfigReader.Read roleText = reader.read(P + "role").orElse(new ConfigReader.Read(P + "role", "auto"));
        RoleSetting role = RoleSetting.parse(roleText.value()).orElseThrow(() -> new InvalidConfigException(
                roleText.key(), roleText.value(), "unknown role; use auto, sidecar or naked"));
        String ready = reader.text(P + "sidecar.ready-url", "http://127.0.0.1:15021/healthz/ready");
        return new ProbeSettings(interval, timeout, role, targets(raw, names),
                Path.of(reader.text(P + "podinfo.annotations", ANNOTATIONS_FILE)),
                Path.of(reader.text(P + "podinfo.labels", LABELS_FILE)),
                URI.create(url(P + "sidecar.ready-url", "sidecar-ready", ready, Optional.of(false), Optional.empty(),
                        Optional.empty()).url()),
                reader.integer(P + "max-concurrent-attempts", MAX_CONCURRENT_ATTEMPTS, 1, 4096,
                        "each attempt in flight holds a thread; size it with the pod's memory"));
    }

    private static List<TargetSpec> targets(Config raw, List<String> names) {
        var found = TargetKeys.find(names);
        if (found.isEmpty()) {
            throw new InvalidConfigException("no target configured: set at least one, e.g. "
                    + P + "targets.httpbin.url=http://httpbin-svc:8080/headers (env MTLS_PROBE_TARGETS_HTTPBIN_URL)");
        }
        List<TargetSpec> specs = new ArrayList<>();
        for (var e : found.entrySet()) {
            String name = e.getKey();
            Map<TargetKeys.Attribute, List<String>> keys = e.getValue();
            Function<TargetKeys.Attribute, Optional<Value>> value = a -> value(raw, keys.getOrDefault(a, List.of()));
            String prefix = P + "targets." + name + ".";
            Value url = value.apply(TargetKeys.Attribute.URL).orElseThrow(() -> new InvalidConfigException(
                    prefix + "url", null, "every target needs a URL, e.g. http://httpbin-svc:8080/headers (env "
                            + TargetKeys.ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_URL)"));
            if (protocol(value.apply(TargetKeys.Attribute.PROTOCOL)) == Protocol.TCP) {
                for (TargetKeys.Attribute a : List.of(TargetKeys.Attribute.ECHO,
                        TargetKeys.Attribute.EXPECTED_SERVER_ID, TargetKeys.Attribute.EXPECTED_CLIENT_ID)) {
                    value.apply(a).ifPresent(v -> {
                        throw new InvalidConfigException(v.key(), v.text(), "a TCP check sees no HTTP response and "
                                + "no identity; remove the key, or use protocol http with an http:// URL");
                    });
                }
                specs.add(TcpTargetUrl.parse(url.key(), name, url.text()));
                continue;
            }
            if (url.text().trim().toLowerCase(Locale.ROOT).startsWith("tcp:")) {
                throw new InvalidConfigException(url.key(), url.text(), "a tcp:// URL is for a TCP check: set "
                        + prefix + "protocol=tcp (env " + TargetKeys.ENV_PREFIX
                        + name.toUpperCase(Locale.ROOT).replace('-', '_') + "_PROTOCOL=tcp)");
            }
            Optional<Boolean> echo = value.apply(TargetKeys.Attribute.ECHO).map(v -> bool(v));
            specs.add(url(url.key(), name, url.text(), echo,
                    spiffe(value.apply(TargetKeys.Attribute.EXPECTED_SERVER_ID)),
                    spiffe(value.apply(TargetKeys.Attribute.EXPECTED_CLIENT_ID))));
        }
        return specs;
    }

    private static Protocol protocol(Optional<Value> value) {
        return value.map(v -> Protocol.parse(v.text()).orElseThrow(() -> new InvalidConfigException(v.key(), v.text(),
                "use http (a GET, classified from the response) or tcp (a plaintext greeting to tcp://host:port, "
                        + "classified from what the peer does with it)"))).orElse(Protocol.HTTP);
    }

    /** A value and the key it came from, so that an error names the key the user wrote. */
    private record Value(String key, String text) {
    }

    /** The value of the highest-priority source among the keys that set one setting (env over properties). */
    private static Optional<Value> value(Config raw, List<String> keys) {
        Value best = null;
        int bestOrdinal = Integer.MIN_VALUE;
        for (String key : keys) {
            ConfigValue v = raw.getConfigValue(key);
            String text = v.getValue() != null ? v.getValue() : v.getRawValue();
            if (text != null && v.getSourceOrdinal() > bestOrdinal) {
                if (text.isBlank()) {
                    throw new InvalidConfigException(key, text, "the value is empty; set one or remove the key");
                }
                best = new Value(key, text);
                bestOrdinal = v.getSourceOrdinal();
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean bool(Value v) {
        return switch (v.text().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(v.key(), v.text(), "use true (the target echoes request "
                    + "headers, like httpbin /headers) or false");
        };
    }

    private static TargetSpec url(String key, String name, String url, Optional<Boolean> echo,
            Optional<String> expectedServerId, Optional<String> expectedClientId) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(key, url, "not a URL; use e.g. http://httpbin-svc:8080/headers");
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidConfigException(key, url.replace(uri.getRawUserInfo() + "@", "***@"),
                    "a URL with user-info is refused: the probe sends no credentials and the status page would show "
                            + "them; remove the user:password@ part");
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
        // The contract's default: httpbin's /headers echoes the request headers, anything else is not assumed to.
        boolean echoes = echo.orElse(path.equals("/headers"));
        return new TargetSpec(name, url.trim(), https, host, port, requestTarget, echoes, expectedServerId,
                expectedClientId);
    }

    private static Optional<String> spiffe(Optional<Value> value) {
        Optional<Value> v = value.filter(s -> !s.text().trim().isEmpty());
        if (v.isPresent() && !SpiffeId.isValid(v.get().text().trim())) {
            throw new InvalidConfigException(v.get().key(), v.get().text(),
                    "not a SPIFFE ID; use e.g. spiffe://cluster.local/ns/team-app/sa/httpbin");
        }
        return v.map(x -> x.text().trim());
    }
}
