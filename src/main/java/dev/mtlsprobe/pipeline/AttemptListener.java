package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;

/**
 * Receives every judged attempt: metrics, status and the change log are listeners, and none of them judges or
 * compares anything the pipeline already decided. Listeners are called on the attempt's thread and must be quick.
 */
public interface AttemptListener {

    /** Called once per cell before probing starts, so that a cell exists (e.g. counters at 0) before its first attempt. */
    default void prepare(Role role, TargetSpec target) {
    }

    void onAttempt(Attempt attempt);

    /** A tick skipped because the cell's previous attempt was still running. */
    default void onSkipped(Role role, TargetSpec target) {
    }
}
