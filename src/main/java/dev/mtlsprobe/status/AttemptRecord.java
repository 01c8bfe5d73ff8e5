package dev.mtlsprobe.status;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.pipeline.Attempt;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One attempt as the status API shows it. Identities are null unless the outcome was mtls. */
@RegisterForReflection
public record AttemptRecord(long startedAtMillis, String outcome, String verdict, String reason,
        double durationSeconds, int httpStatus, String clientId, String serverId) {

    /** Longest reason shown; the sentences are far shorter, this bounds what a hostile peer can put in. */
    static final int MAX_REASON = 300;

    /** @param previous the cell's previous attempt: an unchanged reason shares its string instead of keeping a copy */
    public static AttemptRecord of(Attempt a, AttemptRecord previous) {
        AttemptResult r = a.result();
        String reason = a.reason();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "...";
        }
        if (previous != null && previous.reason().equals(reason)) {
            reason = previous.reason();
        }
        return new AttemptRecord(r.startedAtMillis(), r.outcome().label(), a.verdict().label(), reason,
                r.durationSeconds(), r.httpStatus(),
                r.identity().map(PeerIdentity::clientId).orElse(null),
                r.identity().map(PeerIdentity::serverId).orElse(null));
    }
}
