package dev.mtlsprobe.pair;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The {@code pair} part of {@code /api/status}: both roles judged together by {@link PairRule}.
 *
 * @param headline {@code enforced}, {@code not-enforced} or {@code unproven}
 * @param text     the headline as the page shows it
 * @param detail   one sentence on why
 * @param targets  per target: its state, the reason, and what to do about each role that does not pass
 */
@RegisterForReflection
public record PairView(String headline, String text, String detail, List<PairTarget> targets) {

    /** One target of the pair. */
    @RegisterForReflection
    public record PairTarget(String target, String state, String reason, List<Advice> advice) {
    }
}
