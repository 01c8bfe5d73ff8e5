package dev.mtlsprobe.check;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.Verdicts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Judged attempts as a check records them, for the pure parts: judged by the service's own verdict table. */
final class Attempts {

    static final PeerIdentity IDS = new PeerIdentity("spiffe://cluster.local/ns/a/sa/probe",
            "spiffe://cluster.local/ns/a/sa/httpbin");

    private Attempts() {
    }

    static Attempt of(Role role, TargetSpec target, Outcome outcome, String reason) {
        boolean response = outcome.accepted() || outcome == Outcome.DENIED || outcome == Outcome.HTTP_ERROR
                || outcome == Outcome.MESH_ERROR;
        AttemptResult r = new AttemptResult(outcome, reason, outcome == Outcome.MTLS ? Optional.of(IDS)
                : Optional.empty(), 1_796_000_000_000L, 4_000_000, response ? 200 : 0, response);
        return new Attempt(role, target, r, Verdicts.judge(role, r, target, true), null, null);
    }

    static LaneResult lane(Role role, TargetSpec target, Outcome... outcomes) {
        List<Attempt> attempts = new ArrayList<>();
        for (Outcome o : outcomes) {
            attempts.add(of(role, target, o, "observed " + o.label()));
        }
        return new LaneResult(role, target, attempts);
    }
}
