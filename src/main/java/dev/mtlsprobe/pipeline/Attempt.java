package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Judgement;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;

/**
 * One judged attempt, as every listener receives it: judged once, here, never again downstream.
 *
 * @param previousOutcome the outcome of the cell's previous attempt, or null for its first
 * @param previousVerdict likewise for the verdict
 */
public record Attempt(Role role, TargetSpec target, AttemptResult result, Judgement judgement,
        Outcome previousOutcome, Verdict previousVerdict) {

    public Verdict verdict() {
        return judgement.verdict();
    }

    /** The reason with the verdict's note, as the status and the log show it. */
    public String reason() {
        return judgement.note().isEmpty() ? result.reason() : result.reason() + "; " + judgement.note();
    }

    /** True for the first attempt of a cell and whenever its outcome or verdict changed. */
    public boolean changed() {
        return previousOutcome != result.outcome() || previousVerdict != judgement.verdict();
    }
}
