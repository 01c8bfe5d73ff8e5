package dev.mtlsprobe.status;

import dev.mtlsprobe.probe.AttemptResult;
import dev.mtlsprobe.probe.Judgement;
import dev.mtlsprobe.probe.PeerIdentity;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One attempt as the status API shows it. Identities are null unless the outcome was mtls. */
@RegisterForReflection
public record AttemptRecord(long startedAtMillis, String outcome, String verdict, String reason,
        double durationSeconds, int httpStatus, String clientId, String serverId) {

    /** Longest reason shown; the sentences are far shorter, this bounds what a hostile peer can put in. */
    static final int MAX_REASON = 300;

    /** @param previous the cell's previous attempt: an unchanged reason shares its string instead of keeping a copy */
    public static AttemptRecord of(AttemptResult r, Judgement j, AttemptRecord previous) {
        String reason = j.note().isEmpty() ? r.reason() : r.reason() + "; " + j.note();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON) + "...";
        }
        if (previous != null && previous.reason().equals(reason)) {
            reason = previous.reason();
        }
        return new AttemptRecord(r.startedAtMillis(), r.outcome().label(), j.verdict().label(), reason,
                r.durationSeconds(), r.httpStatus(),
                r.identity().map(PeerIdentity::clientId).orElse(null),
                r.identity().map(PeerIdentity::serverId).orElse(null));
    }
}
