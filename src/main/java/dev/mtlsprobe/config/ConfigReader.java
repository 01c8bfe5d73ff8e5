package dev.mtlsprobe.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * Typed reads of single keys, every one ending in a value or one {@link InvalidConfigException} line that names
 * the key as the user wrote it (the variable, when it came from the environment). Values are read as text and
 * converted here, not by the config library, whose conversion errors are several lines long and say nothing of
 * the fix. An explicitly empty value is refused rather than read as "use the default".
 */
final class ConfigReader {

    /** A value and the key as written where it came from. */
    record Read(String key, String value) {
    }

    private final Config raw;

    ConfigReader(Config raw) {
        this.raw = raw;
    }

    /** The value of a key, or empty when no source sets it. */
    Optional<Read> read(String key) {
        ConfigValue v = raw.getConfigValue(key);
        String value = v.getValue() != null ? v.getValue() : v.getRawValue();
        if (value == null) {
            return Optional.empty();
        }
        String written = String.valueOf(v.getSourceName()).startsWith("EnvConfigSource") ? env(key) : key;
        if (value.isBlank()) {
            throw new InvalidConfigException(written, value,
                    "the value is empty; set one or remove the key to use the default");
        }
        return Optional.of(new Read(written, value.trim()));
    }

    Optional<String> text(String key) {
        return read(key).map(Read::value);
    }

    String text(String key, String defaultValue) {
        return text(key).orElse(defaultValue);
    }

    boolean bool(String key, boolean defaultValue) {
        return read(key).map(r -> switch (r.value().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(r.key(), r.value(), "use true or false");
        }).orElse(defaultValue);
    }

    /** A duration between bounds, each with the reason it exists. */
    Duration bounded(String key, String defaultValue, Duration min, String whyMin, Duration max, String whyMax) {
        Read r = read(key).orElse(new Read(key, defaultValue));
        Duration d = Durations.parse(r.value());
        if (d == null || d.isZero() || d.isNegative()) {
            throw new InvalidConfigException(r.key(), r.value(), "not a positive duration; use e.g. " + defaultValue
                    + ", 500ms or 1m");
        }
        if (d.compareTo(min) < 0) {
            throw new InvalidConfigException(r.key(), r.value(), "below the lower bound " + Durations.format(min)
                    + " (" + whyMin + "); use e.g. " + defaultValue);
        }
        if (d.compareTo(max) > 0) {
            throw new InvalidConfigException(r.key(), r.value(), "above the upper bound " + Durations.format(max)
                    + " (" + whyMax + "); use e.g. " + defaultValue);
        }
        return d;
    }

    /** A number between bounds; {@code what} says what it counts, for the fix. */
    double number(String key, double defaultValue, double min, double max, String what) {
        return bounded(key, defaultValue, min, max, what, "a number");
    }

    /** A whole number between bounds. */
    int integer(String key, int defaultValue, int min, int max, String what) {
        return (int) bounded(key, defaultValue, min, max, what, "a whole number");
    }

    private double bounded(String key, double defaultValue, double min, double max, String what, String kind) {
        Optional<Read> r = read(key);
        if (r.isEmpty()) {
            return defaultValue;
        }
        double v;
        try {
            v = kind.equals("a number") ? Double.parseDouble(r.get().value()) : Integer.parseInt(r.get().value());
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v >= min && v <= max)) { // NaN fails too
            throw new InvalidConfigException(r.get().key(), r.get().value(), "not " + kind + " from " + plain(min)
                    + " to " + plain(max) + " (" + what + "); use e.g. " + plain(defaultValue));
        }
        return v;
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    /** The variable that sets a key: upper case, every other character an underscore. */
    static String env(String key) {
        return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
