package dev.mtlsprobe.check;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.RoleSetting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The options of {@code check}, parsed without side effects. What the service also knows ({@code --role},
 * {@code --target NAME=URL}) becomes configuration ({@link #properties()}), read by the same configuration phase as
 * the service's keys; the rest is the check's own.
 *
 * @param targets     the targets named on the command line, in order: a URL sets the target, an empty URL selects
 *                    one that the configuration already has; empty means every configured target
 * @param sidecarWait how long the sidecar role waits for its own sidecar to be ready before the first attempt
 */
public record CheckOptions(Optional<RoleSetting> role, Map<String, Optional<String>> targets, int attempts,
        Format format, Optional<Path> output, Duration sidecarWait, boolean help) {

    /** How the report is written. */
    public enum Format {
        TEXT, JSON, JUNIT;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final int MAX_ATTEMPTS = 100;
    static final Duration MAX_SIDECAR_WAIT = Duration.ofMinutes(5);
    static final Duration DEFAULT_SIDECAR_WAIT = Duration.ofSeconds(30);

    public static final String USAGE = """
            Usage: java -jar quarkus-run.jar check [options]

            Runs every configured target a few times per role, with the service's prober and verdict rules, prints
            one line per (role, target) and a summary, and exits 0 when all pass, 1 when any fails (or the command
            line or configuration is invalid), 2 when nothing failed but something is inconclusive.
            Configuration: the service's keys and environment variables (MTLS_PROBE_*).

              --role auto|sidecar|naked   the role, as mtls-probe.role (auto: detected from the downward-API files)
              --target NAME=URL           check this target (as mtls-probe.targets.NAME.url); repeatable
              --target NAME               check only this configured target; repeatable
              --attempts N                attempts per (role, target), one connection each (1-100, default 3)
              --format text|json|junit    the report's format (default text)
              --output FILE               write the report to FILE; the text report still goes to stdout
              --sidecar-wait DURATION     how long the sidecar role waits for its sidecar (default 30s, 0s: no wait)
              --help                      this text
            """;

    public CheckOptions {
        targets = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    }

    /** @throws UsageException for the first option that is unknown, repeated, missing its value or out of range */
    public static CheckOptions parse(List<String> args) {
        Optional<RoleSetting> role = Optional.empty();
        Map<String, Optional<String>> targets = new LinkedHashMap<>();
        Integer attempts = null;
        Format format = null;
        Path output = null;
        Duration wait = null;
        boolean help = false;
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
                continue;
            }
            if (!List.of("--role", "--target", "--attempts", "--format", "--output", "--sidecar-wait").contains(name)) {
                throw new UsageException(arg, null, arg.startsWith("-") ? "not an option of check; see check --help"
                        : "check takes no arguments, only options; see check --help");
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(name, null, "needs a value; see check --help");
                }
                value = args.get(++i);
            }
            if (!name.equals("--target") && seen.contains(name)) {
                throw new UsageException(name, value, "given twice; give it once");
            }
            seen.add(name);
            switch (name) {
                case "--role" -> role = Optional.of(role(value));
                case "--target" -> target(value, targets);
                case "--attempts" -> attempts = attempts(value);
                case "--format" -> format = format(value);
                case "--output" -> output = output(value);
                default -> wait = sidecarWait(value);
            }
        }
        return new CheckOptions(role, targets, attempts == null ? 3 : attempts, format == null ? Format.TEXT : format,
                Optional.ofNullable(output), wait == null ? DEFAULT_SIDECAR_WAIT : wait, help);
    }

    /** The configuration these options set, in property form: the same keys the service reads. */
    public Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        role.ifPresent(r -> p.put("mtls-probe.role", r.name().toLowerCase(Locale.ROOT)));
        targets.forEach((name, url) -> url.ifPresent(u -> p.put("mtls-probe.targets." + name + ".url", u)));
        return p;
    }

    private static RoleSetting role(String value) {
        return RoleSetting.parse(value).orElseThrow(() -> new UsageException("--role", value,
                "use auto, sidecar or naked"));
    }

    private static void target(String value, Map<String, Optional<String>> targets) {
        int eq = value.indexOf('=');
        String name = (eq < 0 ? value : value.substring(0, eq)).trim();
        Optional<String> url = eq < 0 ? Optional.empty() : Optional.of(value.substring(eq + 1));
        if (name.isEmpty()) {
            throw new UsageException("--target", value, "name the target, e.g. --target httpbin=http://httpbin-svc:8080/headers");
        }
        if (url.isPresent() && url.get().isBlank()) {
            throw new UsageException("--target", value, "the URL is empty; give one after '=' or leave out '=' to "
                    + "select a configured target");
        }
        if (targets.containsKey(name)) {
            throw new UsageException("--target", value, "the target " + name + " is named twice; name it once");
        }
        targets.put(name, url);
    }

    private static int attempts(String value) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--attempts", value, "not a whole number; use e.g. --attempts 3");
        }
        if (n < 1 || n > MAX_ATTEMPTS) {
            throw new UsageException("--attempts", value, "use 1 to " + MAX_ATTEMPTS + " (each attempt may take the "
                    + "whole timeout, so the check stays bounded); e.g. --attempts 3");
        }
        return n;
    }

    private static Format format(String value) {
        for (Format f : Format.values()) {
            if (f.label().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new UsageException("--format", value, "use text, json or junit");
    }

    private static Path output(String value) {
        if (value.isBlank()) {
            throw new UsageException("--output", value, "name the file, e.g. --output mtls-check.xml");
        }
        try {
            return Path.of(value);
        } catch (RuntimeException e) {
            throw new UsageException("--output", value, "not a file name; use e.g. --output mtls-check.xml");
        }
    }

    private static Duration sidecarWait(String value) {
        Duration d = Durations.parse(value);
        if (d == null || d.isNegative() || d.compareTo(MAX_SIDECAR_WAIT) > 0) {
            throw new UsageException("--sidecar-wait", value, "use a duration from 0s to "
                    + Durations.format(MAX_SIDECAR_WAIT) + ", e.g. 30s");
        }
        return d;
    }
}
