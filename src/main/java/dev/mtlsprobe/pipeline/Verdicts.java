package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Judgement;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.Protocol;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import java.util.Optional;

/** The verdict table of the contract, as one pure function. */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * @param sidecarReady whether the pod's own sidecar was ready; only the sidecar role looks at it
     */
    public static Judgement judge(Role role, AttemptResult result, TargetSpec target, boolean sidecarReady) {
        Outcome outcome = result.outcome();
        if (role == Role.NAKED) {
            if (outcome == Outcome.RESET) {
                return new Judgement(Verdict.PASS, "");
            }
            if (outcome.accepted()) {
                return new Judgement(Verdict.FAIL, "plaintext from a pod without a sidecar was accepted");
            }
            return new Judgement(Verdict.INCONCLUSIVE, "this outcome does not prove that plaintext is rejected");
        }
        if (!sidecarReady) {
            return new Judgement(Verdict.INCONCLUSIVE, "the pod's own sidecar is not ready");
        }
        if (outcome == Outcome.ACCEPTED) {
            // Only a target declared not to echo can pass without showing mTLS, and only on a whole response.
            if (target.echo()) {
                return new Judgement(Verdict.FAIL, "an echo target passes only on a complete echo that shows mTLS");
            }
            return result.whole() ? new Judgement(Verdict.PASS, "")
                    : new Judgement(Verdict.FAIL, target.protocol() == Protocol.TCP
                            ? "no byte came back through the sidecar" : "the response did not arrive whole");
        }
        if (outcome != Outcome.MTLS) {
            return new Judgement(Verdict.FAIL, outcome == Outcome.PLAINTEXT
                    ? "the call through the sidecar arrived without mutual TLS" : "");
        }
        PeerIdentity id = result.identity().orElse(new PeerIdentity(PeerIdentity.UNKNOWN, PeerIdentity.UNKNOWN));
        Optional<String> mismatch = mismatch("server", target.expectedServerId(), id.serverId())
                .or(() -> mismatch("client", target.expectedClientId(), id.clientId()));
        return mismatch.map(m -> new Judgement(Verdict.FAIL, m)).orElse(new Judgement(Verdict.PASS, ""));
    }

    private static Optional<String> mismatch(String side, Optional<String> expected, String seen) {
        return expected.filter(e -> !e.equals(seen))
                .map(e -> side + " identity " + seen + " is not the expected " + e);
    }
}
