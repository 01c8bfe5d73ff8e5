package dev.mtlsprobe.probe;

import java.util.Map;

/**
 * The final response of an attempt, bounded: status, headers (lower-case names, first value) and at most
 * {@link ResponseReader#MAX_BODY} bytes of body.
 *
 * @param interim the status of the first interim (1xx) response skipped before this one, or 0
 * @param body    what arrived of the body
 * @param framing whether the body arrived whole, and if not, why
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body, Framing framing, int interim) {

    /** How the body of a response ended. */
    public enum Framing {
        /** The status carries no body (1xx, 101, 204, 304). */
        NO_BODY,
        /** The body arrived whole, as its framing said. */
        COMPLETE,
        /** The body is longer than the read limit; the probe stopped reading. */
        OVER_LIMIT,
        /** The connection was closed or reset before the framing said the body ends. */
        CUT,
        /** The deadline passed inside the body. */
        TIMED_OUT,
        /** The framing itself is broken (bad Content-Length or chunk size). */
        MALFORMED,
        /** Only an interim 1xx response arrived; the final response never came. */
        INTERIM_ONLY;

        /** True when all of the response that the probe reads arrived. */
        public boolean whole() {
            return this == NO_BODY || this == COMPLETE || this == OVER_LIMIT;
        }
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** A few words on how the body ended, for a reason sentence; empty when it arrived whole. */
    public String framingNote() {
        return switch (framing) {
            case NO_BODY, COMPLETE -> "";
            case OVER_LIMIT -> "the body is longer than the " + ResponseReader.MAX_BODY / 1024
                    + " KiB read limit (read up to it)";
            case CUT -> "the connection closed before the response ended (" + body.length + " body bytes arrived)";
            case TIMED_OUT -> "the response did not end by the deadline (" + body.length + " body bytes arrived)";
            case MALFORMED -> "the body's framing is malformed (Content-Length or chunk size)";
            case INTERIM_ONLY -> "only an interim HTTP " + status + " arrived, no final response by the deadline";
        };
    }
}
