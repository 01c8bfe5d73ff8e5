package dev.mtlsprobe.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds the targets in the names of the configuration's keys, in both spellings users write:
 * {@code mtls-probe.targets.NAME.url} (or {@code ."NAME".}) and {@code MTLS_PROBE_TARGETS_NAME_URL}.
 *
 * <p>Why not the config mapping's own map: an environment variable cannot say where a name ends, so
 * {@code MTLS_PROBE_TARGETS_ORDERS_API_URL} was silently dropped. Here the rule is explicit: target names are
 * lower-case letters, digits and '-', and in a variable each '_' of the name stands for a '-'. Every name
 * that can be written as a property can so be written as a variable, and anything under the targets prefix that
 * is not a target setting stops the start with one line.
 */
final class TargetKeys {

    /** One target setting: its key as written in either spelling. */
    enum Attribute {
        URL("url"), EXPECTED_SERVER_ID("expected-server-id"), EXPECTED_CLIENT_ID("expected-client-id"),
        ECHO("echo"), PROTOCOL("protocol");

        final String key;
        final String env;

        Attribute(String key) {
            this.key = key;
            this.env = key.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    static final String PREFIX = "mtls-probe.targets.";
    static final String ENV_PREFIX = "MTLS_PROBE_TARGETS_";
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    // Longest first, so that ..._EXPECTED_SERVER_ID is never read as a name ending in _EXPECTED_SERVER.
    private static final List<Attribute> BY_ENV_LENGTH = java.util.Arrays.stream(Attribute.values())
            .sorted((a, b) -> b.env.length() - a.env.length()).toList();

    private TargetKeys() {
    }

    /** @return target name to attribute to the config keys that set it (usually one) */
    static Map<String, Map<Attribute, List<String>>> find(Iterable<String> keys) {
        Map<String, Map<Attribute, List<String>>> targets = new TreeMap<>();
        for (String key : keys) {
            parse(key).ifPresent(t -> targets.computeIfAbsent(t.name(), n -> new TreeMap<>())
                    .computeIfAbsent(t.attribute(), a -> new java.util.ArrayList<>()).add(key));
        }
        return targets;
    }

    private record Parsed(String name, Attribute attribute) {
    }

    /** Empty for keys outside the targets prefix; throws for keys inside it that set nothing. */
    static Optional<Parsed> parse(String key) {
        if (key.startsWith(PREFIX)) {
            return Optional.of(property(key));
        }
        if (key.startsWith(ENV_PREFIX)) {
            return Optional.of(env(key));
        }
        return Optional.empty();
    }

    private static Parsed property(String key) {
        String rest = key.substring(PREFIX.length());
        String name;
        String attribute;
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
                throw unknown(key);
            }
            name = rest.substring(1, close);
            attribute = rest.substring(close + 2);
        } else {
            int dot = rest.lastIndexOf('.');
            if (dot < 0) {
                throw unknown(key);
            }
            name = rest.substring(0, dot);
            attribute = rest.substring(dot + 1);
        }
        for (Attribute a : Attribute.values()) {
            if (a.key.equals(attribute)) {
                return new Parsed(checkName(key, name, name), a);
            }
        }
        throw unknown(key);
    }

    private static Parsed env(String key) {
        String rest = key.substring(ENV_PREFIX.length());
        for (Attribute a : BY_ENV_LENGTH) {
            if (rest.endsWith("_" + a.env) && rest.length() > a.env.length() + 1) {
                String raw = rest.substring(0, rest.length() - a.env.length() - 1);
                return new Parsed(checkName(key, raw, raw.toLowerCase(Locale.ROOT).replace('_', '-')), a);
            }
        }
        throw unknown(key);
    }

    private static String checkName(String key, String written, String name) {
        if (written.isEmpty()) {
            throw new InvalidConfigException(InvalidConfigException.visible(key) + ": a target name cannot be empty; "
                    + "name the target, e.g. " + PREFIX + "httpbin.url (env " + ENV_PREFIX + "HTTPBIN_URL)");
        }
        if (!NAME.matcher(name).matches()) {
            String suggestion = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            throw new InvalidConfigException(InvalidConfigException.visible(key) + ": the target name \""
                    + InvalidConfigException.visible(written) + "\" is not valid: names are 1-63 lower-case letters, "
                    + "digits and '-' (the target label), and in an environment variable each '_' stands for '-'; "
                    + "use e.g. " + (suggestion.isEmpty() || suggestion.length() > 63 ? "httpbin" : suggestion));
        }
        return name;
    }

    private static InvalidConfigException unknown(String key) {
        boolean env = key.startsWith(ENV_PREFIX);
        String settings = env ? ENV_PREFIX + "<NAME>_URL, _EXPECTED_SERVER_ID, _EXPECTED_CLIENT_ID, _ECHO or _PROTOCOL"
                : PREFIX + "<name>.url, .expected-server-id, .expected-client-id, .echo or .protocol";
        return new InvalidConfigException(InvalidConfigException.visible(key)
                + ": not a target setting; a target is set with " + settings);
    }
}
