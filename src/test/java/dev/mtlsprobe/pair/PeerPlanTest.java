package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.PeerSettings;
import dev.mtlsprobe.model.Role;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where each pod finds its peer: the other role's Service on the management port, unless configured. */
class PeerPlanTest {

    static final PeerSettings DEFAULTS = new PeerSettings(true, Optional.empty(), Duration.ofSeconds(1));

    @Test
    void inAPodThePeerIsTheServiceOfTheOtherIntendedRole() {
        assertEquals(URI.create("http://mtls-probe-sidecar.team-app.svc.cluster.local:9000/q/status"),
                PeerPlan.of(DEFAULTS, Optional.of("team-app"), "cluster.local", Role.NAKED, 9000).url());
        assertEquals(URI.create("http://mtls-probe-naked.team-app.svc.corp.example:9000/q/status"),
                PeerPlan.of(DEFAULTS, Optional.of("team-app"), "corp.example", Role.SIDECAR, 9000).url());
    }

    @Test
    void aConfiguredUrlWinsAndOffMeansOff() {
        URI url = URI.create("http://10.0.0.7:9000/q/status");
        assertEquals(url, PeerPlan.of(new PeerSettings(true, Optional.of(url), Duration.ofSeconds(1)),
                Optional.empty(), "cluster.local", Role.NAKED, 9000).url());
        PeerPlan off = PeerPlan.of(new PeerSettings(false, Optional.of(url), Duration.ofSeconds(1)),
                Optional.of("team-app"), "cluster.local", Role.NAKED, 9000);
        assertNull(off.url());
        assertTrue(off.off().contains("mtls-probe.peer.enabled=false"), off.off());
    }

    @Test
    void outsideAPodThereIsNoPeerToGuess() {
        PeerPlan p = PeerPlan.of(DEFAULTS, Optional.empty(), "cluster.local", Role.NAKED, 9000);
        assertNull(p.url());
        assertTrue(p.off().contains("set mtls-probe.peer.url"), p.off());
    }

    @Test
    void fetchesEveryHalfIntervalWithinBoundsAndReadsAtMostWhatTheTargetsNeed() {
        assertEquals(Duration.ofMillis(2500), PeerPlan.period(Duration.ofSeconds(5)));
        assertEquals(Duration.ofMillis(250), PeerPlan.period(Duration.ofMillis(100)));
        assertEquals(Duration.ofSeconds(5), PeerPlan.period(Duration.ofMinutes(1)));
        assertEquals(64 * 1024 + 4 * 1024 * 1000, PeerPlan.maxBytes(1000));
    }
}
