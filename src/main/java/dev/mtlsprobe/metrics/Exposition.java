package dev.mtlsprobe.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the Prometheus text formats, 0.0.4 and OpenMetrics 1.0.0, exactly as the Prometheus client writes them
 * (label order, {@code 0.0} values, the trailing comma of 0.0.4), so that every family reads the same whoever
 * produced it.
 */
final class Exposition {

    private final Appendable out;
    final boolean openMetrics;
    private final String end;

    Exposition(Appendable out, boolean openMetrics) {
        this.out = out;
        this.openMetrics = openMetrics;
        this.end = openMetrics ? "} " : ",} ";
    }

    /** HELP and TYPE lines; OpenMetrics names a counter family without {@code _total} and puts TYPE first. */
    Exposition header(String family, String type, String help) {
        String name = type.equals("counter") && !openMetrics ? family + "_total" : family;
        if (openMetrics) {
            return raw("# TYPE ").raw(name).raw(" ").raw(type).raw("\n# HELP ").raw(name).raw(" ").raw(help)
                    .raw("\n");
        }
        return raw("# HELP ").raw(name).raw(" ").raw(help).raw("\n# TYPE ").raw(name).raw(" ").raw(type).raw("\n");
    }

    /** A sample without labels. */
    Exposition plain(String name, double value) {
        return raw(name).raw(" ").value(value).raw("\n");
    }

    /** Opens a sample: {@code name{} */
    Exposition open(String name) {
        return raw(name).raw("{");
    }

    /** One label, with a comma unless it is the first; the value escaped. */
    Exposition label(String name, String value, boolean first) {
        if (!first) {
            raw(",");
        }
        raw(name).raw("=\"");
        escaped(value);
        return raw("\"");
    }

    /** Closes the labels of a sample. */
    Exposition close() {
        return raw(end);
    }

    /** A count as a Go-style double: what {@code Double.toString} gives, without its cost for small ones. */
    Exposition count(long v) {
        return v < 10_000_000 ? raw(Long.toString(v)).raw(".0\n") : raw(Double.toString(v)).raw("\n");
    }

    Exposition value(double v) {
        return raw(v == Double.POSITIVE_INFINITY ? "+Inf" : v == Double.NEGATIVE_INFINITY ? "-Inf" : Double.toString(v));
    }

    Exposition flag(boolean on) {
        return raw(on ? "1.0\n" : "0.0\n");
    }

    Exposition raw(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Label value escaping of the text formats: backslash, double quote and line feed. */
    private void escaped(String v) {
        raw(escape(v));
    }

    static String escape(String v) {
        if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
            return v;
        }
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
