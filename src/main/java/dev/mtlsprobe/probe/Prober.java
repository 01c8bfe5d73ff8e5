package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.TargetSpec;

/**
 * The one contract of a probe: one target, one attempt on exactly one new connection, never a retry, ended by
 * its deadline whatever the peer does, and a result from the closed outcome set with its reason as a sentence.
 */
@FunctionalInterface
public interface Prober {

    AttemptResult probe(TargetSpec target);
}
