package dev.mtlsprobe.role;

import dev.mtlsprobe.probe.Role;

/**
 * The role the probe has and the role it was meant to have.
 *
 * @param source         how the role was detected: {@code downward-api}, {@code pod-spec} or {@code config}
 * @param intendedSource where the intent came from: {@code label}, {@code config} or {@code detected}
 * @param note           extra explanation for a mismatch (e.g. an ambient namespace), or empty
 */
public record RoleState(Role role, String source, Role intended, String intendedSource, String note) {

    public boolean mismatch() {
        return role != intended;
    }

    /** One sentence for the log and the status API. */
    public String describe() {
        String base = "role " + role.label() + " (detected from " + source + ")";
        if (!mismatch()) {
            return base + ", as intended";
        }
        return base + " but intended " + intended.label() + " (from " + intendedSource + ")"
                + (note.isEmpty() ? "" : ": " + note);
    }
}
