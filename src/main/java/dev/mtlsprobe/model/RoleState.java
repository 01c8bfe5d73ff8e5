package dev.mtlsprobe.model;


/**
 * The role the probe has and the role it was meant to have.
 *
 * @param source         how the role was detected: {@code downward-api}, {@code pod-spec} or {@code config}
 * @param intendedSource where the intent came from: {@code label}, {@code config} or {@code detected}
 * @param note           extra explanation for a mismatch (e.g. an ambient namespace), or empty
 * @param ambientMeshed  the pod has no sidecar but ztunnel carries its traffic (ambient namespace): it is in
 *                       the mesh, so a probe meant to be naked is not
 */
public record RoleState(Role role, String source, Role intended, String intendedSource, String note,
        boolean ambientMeshed) {

    public RoleState(Role role, String source, Role intended, String intendedSource, String note) {
        this(role, source, intended, intendedSource, note, false);
    }

    public boolean mismatch() {
        return role != intended || (ambientMeshed && intended == Role.NAKED);
    }

    /** One sentence for the log and the status API. */
    public String describe() {
        String base = "role " + role.label() + " (detected from " + source + ")";
        if (!mismatch()) {
            return base + ", as intended";
        }
        if (role == intended) {
            return base + " but the ambient mesh carries its traffic, so it is not naked as intended (from "
                    + intendedSource + ")" + (note.isEmpty() ? "" : ": " + note);
        }
        return base + " but intended " + intended.label() + " (from " + intendedSource + ")"
                + (note.isEmpty() ? "" : ": " + note);
    }
}
