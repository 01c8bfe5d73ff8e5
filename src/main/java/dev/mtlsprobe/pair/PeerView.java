package dev.mtlsprobe.pair;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The {@code peer} part of {@code /api/status}: the other probe of the pair, as this one last reached it.
 *
 * @param state             {@code ok}, {@code waiting} (no answer yet), {@code unreachable} (the last fetch failed;
 *                          no data is kept, so nothing stale can look green) or {@code off} (no peer to ask)
 * @param url               where the peer's status is fetched, or null when off
 * @param sinceMillis       since when the state holds (this probe's clock)
 * @param lastContactMillis the peer's latest answer (200 or 304), or null
 * @param problem           why it is unreachable or off, one sanitised sentence
 * @param fetchedAtMillis   when {@code status} arrived (this probe's clock); a 304 does not renew it, so the age
 *                          of what is shown keeps growing when the peer's data stops changing
 * @param status            the peer's status, only in state {@code ok}
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerView(String state, String url, Long sinceMillis, Long lastContactMillis, String problem,
        Long fetchedAtMillis, PeerStatus status) {

    public static final String OK = "ok";
    public static final String WAITING = "waiting";
    public static final String UNREACHABLE = "unreachable";
    public static final String OFF = "off";

    public static PeerView off(String why) {
        return new PeerView(OFF, null, null, null, why, null, null);
    }

    public boolean ok() {
        return OK.equals(state) && status != null;
    }
}
