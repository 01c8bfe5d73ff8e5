package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.testsupport.Targets;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdict table of the contract, exhaustively over the closed outcome set. */
class VerdictsTest {

    static final TargetSpec PLAIN = Targets.local("t", 8080);
    static final PeerIdentity IDS = new PeerIdentity("spiffe://td/client", "spiffe://td/server");

    @Test
    void nakedPassesOnlyOnReset() {
        for (Outcome o : Outcome.values()) {
            Verdict expected = o == Outcome.RESET ? Verdict.PASS
                    : EnumSet.of(Outcome.PLAINTEXT, Outcome.ACCEPTED, Outcome.MTLS).contains(o) ? Verdict.FAIL
                    : Verdict.INCONCLUSIVE;
            assertEquals(expected, judge(Role.NAKED, o, PLAIN, true), o.label());
            assertEquals(expected, judge(Role.NAKED, o, PLAIN, false), "readiness is irrelevant when naked");
        }
    }

    @Test
    void sidecarPassesOnMtlsAndNonEchoAcceptance() {
        for (Outcome o : Outcome.values()) {
            Verdict expected = o == Outcome.MTLS || o == Outcome.ACCEPTED ? Verdict.PASS : Verdict.FAIL;
            assertEquals(expected, judge(Role.SIDECAR, o, PLAIN, true), o.label());
        }
    }

    @Test
    void sidecarIsInconclusiveWhileItsSidecarIsNotReady() {
        for (Outcome o : Outcome.values()) {
            assertEquals(Verdict.INCONCLUSIVE, judge(Role.SIDECAR, o, PLAIN, false), o.label());
        }
    }

    @Test
    void unexpectedIdentitiesFail() {
        TargetSpec expecting = new TargetSpec("t", "http://h/", false, "h", 80, "/",
                Optional.of("spiffe://td/server"), Optional.of("spiffe://td/other-client"));
        Judgement j = Verdicts.judge(Role.SIDECAR, Outcome.MTLS, Optional.of(IDS), expecting, true);
        assertEquals(Verdict.FAIL, j.verdict());
        assertEquals("client identity spiffe://td/client is not the expected spiffe://td/other-client", j.note());
        TargetSpec matching = new TargetSpec("t", "http://h/", false, "h", 80, "/",
                Optional.of("spiffe://td/server"), Optional.of("spiffe://td/client"));
        assertEquals(Verdict.PASS, Verdicts.judge(Role.SIDECAR, Outcome.MTLS, Optional.of(IDS), matching, true)
                .verdict());
    }

    static Verdict judge(Role role, Outcome o, TargetSpec t, boolean ready) {
        return Verdicts.judge(role, o, o == Outcome.MTLS ? Optional.of(IDS) : Optional.empty(), t, ready).verdict();
    }
}
