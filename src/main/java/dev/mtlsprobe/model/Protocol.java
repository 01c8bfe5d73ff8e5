package dev.mtlsprobe.model;

import java.util.Locale;
import java.util.Optional;

/** What an attempt speaks to its target: an HTTP request, or a TCP-level plaintext check. */
public enum Protocol {
    HTTP("http"), TCP("tcp");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<Protocol> parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Protocol p : values()) {
            if (p.label.equals(t)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
