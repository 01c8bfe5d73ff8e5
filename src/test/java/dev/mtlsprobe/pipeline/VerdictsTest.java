package dev.mtlsprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Judgement;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.testsupport.Targets;
import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The verdict table of the contract, exhaustively over the closed outcome set. */
class VerdictsTest {

    static final TargetSpec ECHO = Targets.local("t", 8080);
    static final TargetSpec NON_ECHO = Targets.nonEcho("t", 8080);
    static final PeerIdentity IDS = new PeerIdentity("spiffe://td/client", "spiffe://td/server");

    @Test
    void nakedPassesOnlyOnResetWhateverTheTargetAndTheFraming() {
        for (Outcome o : Outcome.values()) {
            Verdict expected = o == Outcome.RESET ? Verdict.PASS
                    : EnumSet.of(Outcome.PLAINTEXT, Outcome.ACCEPTED, Outcome.MTLS).contains(o) ? Verdict.FAIL
                    : Verdict.INCONCLUSIVE;
            for (TargetSpec t : new TargetSpec[] {ECHO, NON_ECHO}) {
                for (boolean whole : new boolean[] {true, false}) {
                    assertEquals(expected, judge(Role.NAKED, o, t, true, whole), o.label());
                    assertEquals(expected, judge(Role.NAKED, o, t, false, whole), "readiness is irrelevant when naked");
                }
            }
        }
    }

    @Test
    void onAnEchoTargetTheSidecarPassesOnlyOnMtls() {
        for (Outcome o : Outcome.values()) {
            assertEquals(o == Outcome.MTLS ? Verdict.PASS : Verdict.FAIL, judge(Role.SIDECAR, o, ECHO, true, true),
                    o.label());
        }
    }

    @Test
    void onATargetDeclaredNotToEchoTheSidecarAlsoPassesOnAWholeAcceptance() {
        for (Outcome o : Outcome.values()) {
            Verdict expected = o == Outcome.MTLS || o == Outcome.ACCEPTED ? Verdict.PASS : Verdict.FAIL;
            assertEquals(expected, judge(Role.SIDECAR, o, NON_ECHO, true, true), o.label());
        }
        assertEquals(Verdict.FAIL, judge(Role.SIDECAR, Outcome.ACCEPTED, NON_ECHO, true, false),
                "a response that did not arrive whole is not a pass");
    }

    @Test
    void sidecarIsInconclusiveWhileItsSidecarIsNotReady() {
        for (Outcome o : Outcome.values()) {
            assertEquals(Verdict.INCONCLUSIVE, judge(Role.SIDECAR, o, ECHO, false, true), o.label());
        }
    }

    @Test
    void unexpectedIdentitiesFail() {
        TargetSpec expecting = new TargetSpec("t", "http://h/headers", false, "h", 80, "/headers", true,
                Optional.of("spiffe://td/server"), Optional.of("spiffe://td/other-client"));
        Judgement j = Verdicts.judge(Role.SIDECAR, result(Outcome.MTLS, true), expecting, true);
        assertEquals(Verdict.FAIL, j.verdict());
        assertEquals("client identity spiffe://td/client is not the expected spiffe://td/other-client", j.note());
        TargetSpec matching = new TargetSpec("t", "http://h/headers", false, "h", 80, "/headers", true,
                Optional.of("spiffe://td/server"), Optional.of("spiffe://td/client"));
        assertEquals(Verdict.PASS, Verdicts.judge(Role.SIDECAR, result(Outcome.MTLS, true), matching, true).verdict());
    }

    static AttemptResult result(Outcome o, boolean whole) {
        return new AttemptResult(o, "test", o == Outcome.MTLS ? Optional.of(IDS) : Optional.empty(), 0, 1, 200,
                whole);
    }

    static Verdict judge(Role role, Outcome o, TargetSpec t, boolean ready, boolean whole) {
        return Verdicts.judge(role, result(o, whole), t, ready).verdict();
    }
}
