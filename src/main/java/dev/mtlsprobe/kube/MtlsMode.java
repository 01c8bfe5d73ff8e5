package dev.mtlsprobe.kube;

import java.util.Locale;

/** A PeerAuthentication mTLS mode; {@code UNSET} inherits from the parent scope and is never in force itself. */
public enum MtlsMode {
    STRICT, PERMISSIVE, DISABLE, UNSET;

    /** The three modes that can be in force, in the order the metric exports them. */
    public static final MtlsMode[] EFFECTIVE = {STRICT, PERMISSIVE, DISABLE};

    /** Istio's spelling; anything else (absent, misspelt) behaves like UNSET, as in Istio. */
    public static MtlsMode parse(Object value) {
        if (value == null) {
            return UNSET;
        }
        return switch (value.toString().trim().toUpperCase(Locale.ROOT)) {
            case "STRICT" -> STRICT;
            case "PERMISSIVE" -> PERMISSIVE;
            case "DISABLE" -> DISABLE;
            default -> UNSET;
        };
    }

    /** How much plaintext gets in: DISABLE and PERMISSIVE both accept it, STRICT does not. */
    int strength() {
        return switch (this) {
            case STRICT -> 2;
            case PERMISSIVE -> 1;
            default -> 0;
        };
    }
}
