package dev.mtlsprobe.status;

import dev.mtlsprobe.probe.AttemptResult;
import dev.mtlsprobe.probe.Judgement;
import dev.mtlsprobe.probe.PeerIdentity;

/** One attempt as the status API shows it. Identities are null unless the outcome was mtls. */
public record AttemptRecord(long startedAtMillis, String outcome, String verdict, String reason,
        double durationSeconds, int httpStatus, String clientId, String serverId) {

    public static AttemptRecord of(AttemptResult r, Judgement j) {
        String reason = j.note().isEmpty() ? r.reason() : r.reason() + "; " + j.note();
        return new AttemptRecord(r.startedAtMillis(), r.outcome().label(), j.verdict().label(), reason,
                r.durationSeconds(), r.httpStatus(),
                r.identity().map(PeerIdentity::clientId).orElse(null),
                r.identity().map(PeerIdentity::serverId).orElse(null));
    }
}
