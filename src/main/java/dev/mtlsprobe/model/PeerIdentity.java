package dev.mtlsprobe.model;

/**
 * Identities proven by an mTLS result, as label-safe values: a valid SPIFFE ID, {@link SpiffeId#INVALID}
 * when present but malformed, or {@link #UNKNOWN} when the header did not carry it.
 */
public record PeerIdentity(String clientId, String serverId) {

    public static final String UNKNOWN = "unknown";
}
