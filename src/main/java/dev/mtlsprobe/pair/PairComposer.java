package dev.mtlsprobe.pair;

import dev.mtlsprobe.kube.KubernetesStatus.TargetPolicy;
import dev.mtlsprobe.kube.KubernetesStatus;
import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.status.CellView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Puts the pair together, as a pure function of what this probe and its peer reported: per target the naked and
 * the sidecar side (the own cells first, the peer's for the other role), judged by {@link PairRule}, with
 * {@link Advice} for every side that does not pass. Ages are measured on one clock at a time: the own cells'
 * against now, the peer's against its own {@code generatedAtMillis} plus the time since this probe fetched them.
 */
public final class PairComposer {

    private static final List<String> ROLES = List.of("naked", "sidecar");

    /** Everything the pair view is made of. */
    public record Input(List<CellView> own, long intervalMillis, PeerView peer, KubernetesStatus kubernetes,
            String probeNamespace, UnaryOperator<String> runbooks, long nowMillis) {
    }

    private PairComposer() {
    }

    public static PairView compose(Input in) {
        Map<String, Map<String, PairRule.Side>> sides = new TreeMap<>();
        for (CellView c : in.own()) {
            sides.computeIfAbsent(c.target(), t -> new HashMap<>()).put(c.role(),
                    side(c, in.nowMillis() - started(c), in.intervalMillis()));
        }
        PeerView peer = in.peer();
        if (peer.ok()) {
            PeerStatus s = peer.status();
            long transport = Math.max(0, in.nowMillis() - peer.fetchedAtMillis());
            long interval = Math.max(1, Math.round(s.intervalSeconds() * 1000));
            for (CellView c : s.targets()) {
                sides.computeIfAbsent(c.target(), t -> new HashMap<>()).putIfAbsent(c.role(),
                        side(c, transport + Math.max(0, s.generatedAtMillis() - started(c)), interval));
            }
        }
        Map<String, TargetPolicy> policies = new HashMap<>();
        KubernetesStatus k = in.kubernetes();
        if (k != null && k.enabled() && k.targets() != null) {
            k.targets().forEach(p -> policies.put(p.target(), p));
        }
        List<PairRule.Target> judged = new ArrayList<>();
        List<PairView.PairTarget> targets = new ArrayList<>();
        for (var e : sides.entrySet()) {
            Map<String, PairRule.Side> bySide = e.getValue();
            PairRule.Side naked = bySide.getOrDefault("naked", PairRule.Side.none(missing("naked", peer, bySide)));
            PairRule.Side sidecar = bySide.getOrDefault("sidecar",
                    PairRule.Side.none(missing("sidecar", peer, bySide)));
            PairRule.Target t = PairRule.judge(e.getKey(), naked, sidecar);
            judged.add(t);
            List<Advice> advice = new ArrayList<>();
            for (String role : ROLES) {
                PairRule.Side side = role.equals("naked") ? naked : sidecar;
                if (side.verdict() != null || !PeerView.OFF.equals(peer.state())) {
                    Advice.of(role, side, policies.get(e.getKey()), in.probeNamespace(), in.runbooks())
                            .ifPresent(advice::add);
                }
            }
            targets.add(new PairView.PairTarget(t.target(), t.state().label(), t.reason(), advice));
        }
        PairRule.Headline h = PairRule.headline(judged);
        return new PairView(h.state().label(), h.text(), h.detail(), targets);
    }

    private static PairRule.Side side(CellView c, long age, long intervalMillis) {
        if (c.latest() == null) {
            return PairRule.Side.none("no attempt yet");
        }
        return PairRule.Side.of(verdict(c.latest().verdict()), c.latest().outcome(), age, intervalMillis);
    }

    private static long started(CellView c) {
        return c.latest() == null ? 0 : c.latest().startedAtMillis();
    }

    private static Verdict verdict(String label) {
        return Verdict.valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Why no probe of this role reports on a target. */
    private static String missing(String role, PeerView peer, Map<String, PairRule.Side> present) {
        return switch (peer.state()) {
            case PeerView.OFF -> "not probed here, and no peer (" + Optional.ofNullable(peer.problem()).orElse("off")
                    + ")";
            case PeerView.WAITING -> "waiting for the peer's first answer";
            case PeerView.UNREACHABLE -> "peer unreachable (" + peer.problem() + ")";
            default -> peer.status().role().equals(role) ? "the peer does not probe this target"
                    : "neither this pod nor its peer runs as " + role + " (both are " + present.keySet().stream()
                            .findFirst().orElse(peer.status().role()) + ")";
        };
    }
}
