package dev.mtlsprobe.config;

import dev.mtlsprobe.model.Role;
import java.util.Optional;

/** The configured role: detect it ({@code auto}) or take it as given. */
public enum RoleSetting {
    AUTO, SIDECAR, NAKED;

    public static Optional<RoleSetting> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto" -> Optional.of(AUTO);
            case "sidecar" -> Optional.of(SIDECAR);
            case "naked" -> Optional.of(NAKED);
            default -> Optional.empty();
        };
    }

    /** The explicit role, empty for {@code auto}. */
    public Optional<Role> role() {
        return switch (this) {
            case SIDECAR -> Optional.of(Role.SIDECAR);
            case NAKED -> Optional.of(Role.NAKED);
            default -> Optional.empty();
        };
    }
}
