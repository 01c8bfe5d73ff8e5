package dev.mtlsprobe.demo;

import java.util.Locale;
import java.util.Optional;

/** The PeerAuthentication modes the demo's server sidecar enforces. */
public enum MeshPolicy {
    STRICT, PERMISSIVE;

    public static Optional<MeshPolicy> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "STRICT" -> Optional.of(STRICT);
            case "PERMISSIVE" -> Optional.of(PERMISSIVE);
            default -> Optional.empty();
        };
    }
}
