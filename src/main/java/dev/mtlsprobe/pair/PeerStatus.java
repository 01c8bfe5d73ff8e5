package dev.mtlsprobe.pair;

import dev.mtlsprobe.status.CellView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The peer's compact status as this probe read it: every field checked and every text sanitised (see
 * {@link PeerDocument}). Times are the peer's clock; {@link PeerView#fetchedAtMillis()} is this probe's.
 *
 * @param targets the peer's cells, with the hour's timeline and without history
 */
@RegisterForReflection
public record PeerStatus(String version, long generatedAtMillis, String role, String roleSource, String intendedRole,
        boolean roleMismatch, String roleReason, String interval, double intervalSeconds, List<CellView> targets) {

    public PeerStatus {
        targets = List.copyOf(targets);
    }
}
