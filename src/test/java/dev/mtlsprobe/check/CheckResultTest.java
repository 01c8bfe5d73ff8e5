package dev.mtlsprobe.check;

import static dev.mtlsprobe.check.Attempts.lane;
import static dev.mtlsprobe.model.Outcome.DNS_ERROR;
import static dev.mtlsprobe.model.Outcome.MTLS;
import static dev.mtlsprobe.model.Outcome.PLAINTEXT;
import static dev.mtlsprobe.model.Outcome.REFUSED;
import static dev.mtlsprobe.model.Outcome.RESET;
import static dev.mtlsprobe.model.Outcome.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.testsupport.Targets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A lane's verdict from its attempts, the check's from its lanes and role, and the exit code: pure functions. */
class CheckResultTest {

    static final TargetSpec T = Targets.local("httpbin", 8080);
    static final RoleState NAKED = new RoleState(Role.NAKED, "downward-api", Role.NAKED, "label", "");

    @Test
    void aLanePassesOnlyWhenEveryAttemptPassed() {
        assertEquals(Verdict.PASS, lane(Role.NAKED, T, RESET, RESET, RESET).verdict());
        assertEquals(Verdict.INCONCLUSIVE, lane(Role.NAKED, T, RESET, TIMEOUT, RESET).verdict(),
                "a timeout proves nothing, and the resets around it do not make up for it");
        assertEquals(Verdict.INCONCLUSIVE, lane(Role.NAKED, T).verdict(), "no attempt, no proof");
    }

    @Test
    void oneFailedAttemptFailsTheLane() {
        assertEquals(Verdict.FAIL, lane(Role.NAKED, T, RESET, RESET, PLAINTEXT).verdict(),
                "one plaintext call that got through is the finding");
        assertEquals(Verdict.FAIL, lane(Role.SIDECAR, T, MTLS, TIMEOUT, MTLS).verdict());
        assertEquals(Verdict.FAIL, lane(Role.NAKED, T, DNS_ERROR, MTLS).verdict(), "a naked call seen as mtls");
    }

    @Test
    void theDecidingAttemptExplainsTheVerdict() {
        assertEquals(PLAINTEXT, lane(Role.NAKED, T, RESET, TIMEOUT, PLAINTEXT, REFUSED).deciding().get().result().outcome());
        assertEquals(TIMEOUT, lane(Role.NAKED, T, RESET, TIMEOUT, REFUSED).deciding().get().result().outcome());
        LaneResult passes = lane(Role.NAKED, T, RESET, RESET);
        assertEquals(passes.attempts().get(1), passes.deciding().get(), "the latest pass");
        assertEquals(Optional.empty(), lane(Role.NAKED, T).deciding());
    }

    @Test
    void exitCodeForEveryCombinationOfTwoLanes() {
        List<LaneResult> byVerdict = List.of(lane(Role.NAKED, T, RESET), lane(Role.NAKED, T, PLAINTEXT),
                lane(Role.NAKED, T, TIMEOUT));
        for (LaneResult a : byVerdict) {
            for (LaneResult b : byVerdict) {
                CheckResult r = result(Optional.of(NAKED), a, b);
                List<Verdict> v = List.of(a.verdict(), b.verdict());
                int expected = v.contains(Verdict.FAIL) ? 1 : v.contains(Verdict.INCONCLUSIVE) ? 2 : 0;
                assertEquals(expected, r.exitCode(), v.toString());
                assertEquals(CheckResult.exitCode(r.verdict()), r.exitCode());
            }
        }
    }

    @Test
    void aRoleThatIsNotTheIntendedOneFailsTheCheckWhateverTheLanesSay() {
        RoleState gotASidecar = new RoleState(Role.SIDECAR, "downward-api", Role.NAKED, "label", "");
        CheckResult r = result(Optional.of(gotASidecar), lane(Role.SIDECAR, T, MTLS, MTLS));
        assertEquals(Verdict.PASS, r.lanes().get(0).verdict());
        assertEquals(Verdict.FAIL, r.verdict());
        assertEquals(CheckResult.EXIT_FAIL, r.exitCode());
        RoleState ambient = new RoleState(Role.NAKED, "pod-spec", Role.NAKED, "label", "", true);
        assertEquals(CheckResult.EXIT_FAIL, result(Optional.of(ambient), lane(Role.NAKED, T, RESET)).exitCode());
    }

    @Test
    void aCheckWithoutLanesProvesNothing() {
        assertEquals(CheckResult.EXIT_INCONCLUSIVE, result(Optional.of(NAKED)).exitCode());
    }

    @Test
    void theExitCodesAreTheDocumentedOnes() {
        assertEquals(0, CheckResult.EXIT_PASS);
        assertEquals(1, CheckResult.EXIT_FAIL);
        assertEquals(2, CheckResult.EXIT_INCONCLUSIVE);
        assertEquals(0, result(Optional.empty(), lane(Role.NAKED, T, RESET), lane(Role.SIDECAR, T, MTLS)).exitCode(),
                "both roles from a simulated mesh, no role state of its own");
    }

    @Test
    void countsAreByLaneVerdictAndByOutcome() {
        CheckResult r = result(Optional.of(NAKED), lane(Role.NAKED, T, RESET, RESET, TIMEOUT),
                lane(Role.NAKED, T, RESET), lane(Role.NAKED, T, PLAINTEXT));
        assertEquals(1, r.lanes(Verdict.PASS));
        assertEquals(1, r.lanes(Verdict.FAIL));
        assertEquals(1, r.lanes(Verdict.INCONCLUSIVE));
        assertEquals(java.util.Map.of(Outcome.RESET, 2, Outcome.TIMEOUT, 1), r.lanes().get(0).outcomes());
    }

    static CheckResult result(Optional<RoleState> role, LaneResult... lanes) {
        return new CheckResult(role, 3, new ArrayList<>(List.of(lanes)), 1_796_000_000_000L, 123_000_000);
    }
}
