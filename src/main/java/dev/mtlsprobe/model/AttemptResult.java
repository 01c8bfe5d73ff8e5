package dev.mtlsprobe.model;

import java.util.Optional;

/**
 * What one attempt observed, before any verdict.
 *
 * @param reason          a human sentence, safe to log and show (bounded, printable)
 * @param identity        identities proven by an {@link Outcome#MTLS} result
 * @param startedAtMillis unix time in milliseconds when the attempt started
 * @param durationNanos   connect to last byte (zero when no connection was made)
 * @param httpStatus      the HTTP status, or 0 when no response arrived
 * @param whole           whether a final HTTP response arrived whole (or up to the read limit); false when none
 *                        arrived
 */
public record AttemptResult(Outcome outcome, String reason, Optional<PeerIdentity> identity, long startedAtMillis,
        long durationNanos, int httpStatus, boolean whole) {

    /** A result without an HTTP response. */
    public static AttemptResult of(Outcome outcome, String reason, long startedAtMillis, long durationNanos) {
        return new AttemptResult(outcome, reason, Optional.empty(), startedAtMillis, durationNanos, 0, false);
    }

    public double durationSeconds() {
        return durationNanos / 1e9;
    }
}
