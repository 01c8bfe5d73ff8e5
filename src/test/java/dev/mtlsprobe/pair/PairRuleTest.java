package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pair.PairRule.Side;
import dev.mtlsprobe.pair.PairRule.State;
import dev.mtlsprobe.testsupport.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pair's verdict: the rule of mtls_probe:enforced, checked case by case and against the rule itself. */
class PairRuleTest {

    static final long INTERVAL = 5000;

    static Side side(Verdict v, String outcome, long ageSeconds) {
        return Side.of(v, outcome, ageSeconds * 1000, INTERVAL);
    }

    @Test
    void enforcedOnlyWhileBothVerdictsPassFromFreshAttempts() {
        Side nakedPass = side(Verdict.PASS, "reset", 2);
        Side sidecarPass = side(Verdict.PASS, "mtls", 2);
        assertEquals(State.ENFORCED, PairRule.judge("a", nakedPass, sidecarPass).state());
        assertEquals(State.ENFORCED, PairRule.judge("a", side(Verdict.PASS, "reset", 15), sidecarPass).state(),
                "three intervals old is still fresh, as in the rule (<= 3)");
        assertEquals(State.UNPROVEN, PairRule.judge("a", side(Verdict.PASS, "reset", 16), sidecarPass).state(),
                "older is stale: never enforced");
        assertEquals(State.UNPROVEN, PairRule.judge("a", nakedPass, Side.none("peer unreachable")).state());
        assertEquals(State.UNPROVEN, PairRule.judge("a", side(Verdict.INCONCLUSIVE, "timeout", 1), sidecarPass)
                .state(), "a timeout is no proof of enforcement");
    }

    @Test
    void notEnforcedOnFreshEvidenceAgainstOnly() {
        PairRule.Target plaintext = PairRule.judge("a", side(Verdict.FAIL, "plaintext", 1), Side.none("x"));
        assertEquals(State.NOT_ENFORCED, plaintext.state());
        assertEquals("a pod without a sidecar got through (plaintext)", plaintext.reason());
        assertEquals(State.NOT_ENFORCED, PairRule.judge("a", side(Verdict.PASS, "reset", 1),
                side(Verdict.FAIL, "denied", 1)).state());
        assertTrue(PairRule.judge("a", side(Verdict.FAIL, "mtls", 1), Side.none("x")).reason().contains("not naked"));
        assertEquals(State.UNPROVEN, PairRule.judge("a", side(Verdict.FAIL, "plaintext", 60), side(Verdict.PASS,
                "mtls", 1)).state(), "a stale fail is no evidence now either: grey, not red");
    }

    @Test
    void theHeadlineIsEnforcedOnlyWhenEveryTargetIsAndNamesWhatIsNot() {
        PairRule.Target ok = new PairRule.Target("a", State.ENFORCED, "fine");
        PairRule.Target down = new PairRule.Target("b", State.UNPROVEN, "sidecar: peer unreachable");
        PairRule.Target bad = new PairRule.Target("c", State.NOT_ENFORCED, "a pod without a sidecar got through");
        assertEquals(State.ENFORCED, PairRule.headline(List.of(ok)).state());
        assertEquals("mTLS enforced", PairRule.headline(List.of(ok)).text());
        assertEquals(State.UNPROVEN, PairRule.headline(List.of()).state(), "nothing probed proves nothing");
        PairRule.Headline unproven = PairRule.headline(List.of(ok, down));
        assertEquals("mTLS unproven", unproven.text());
        assertEquals("sidecar: peer unreachable: b", unproven.detail());
        PairRule.Headline not = PairRule.headline(List.of(ok, down, bad));
        assertEquals(State.NOT_ENFORCED, not.state());
        assertEquals("mTLS NOT enforced", not.text());
        assertEquals("a pod without a sidecar got through: c", not.detail());
        List<PairRule.Target> many = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(new PairRule.Target("t" + i, State.UNPROVEN, "same"));
        }
        assertEquals("same: t0, t1, t2, t3, t4 and 3 more", PairRule.headline(many).detail());
    }

    /**
     * Every combination of verdict and age per role, as series, through the shipped recording rule with promtool:
     * mtls_probe:enforced is 1 exactly where PairRule says enforced.
     */
    @Test
    void agreesWithTheRecordingRuleOnEveryCombination(@TempDir Path dir) throws Exception {
        Path promtool = Prerequisites.tool("promtool", "prometheus");
        Files.copy(Path.of("k8s/monitoring/mtls-probe.rules.yaml"), dir.resolve("mtls-probe.rules.yaml"));
        List<Object[]> roleCases = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            for (long age : new long[] {5, 15, 16, 60}) {
                roleCases.add(new Object[] {v, age});
            }
        }
        roleCases.add(new Object[] {null, 0L});
        StringBuilder series = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        int n = 0;
        int enforced = 0;
        for (Object[] naked : roleCases) {
            for (Object[] sidecar : roleCases) {
                if (naked[0] == null && sidecar[0] == null) {
                    continue;
                }
                String target = String.format("c%03d", n++);
                series.append(roleSeries(target, "naked", naked)).append(roleSeries(target, "sidecar", sidecar));
                State s = PairRule.judge(target, sideOf(naked), sideOf(sidecar)).state();
                enforced += s == State.ENFORCED ? 1 : 0;
                expected.append("          - labels: 'mtls_probe:enforced{namespace=\"team-app\", target=\"")
                        .append(target).append("\"}'\n            value: ").append(s == State.ENFORCED ? 1 : 0)
                        .append('\n');
            }
        }
        assertEquals(4, enforced, "pass at 5 s and 15 s, for each role");
        String test = "rule_files: [mtls-probe.rules.yaml]\nevaluation_interval: 15s\ntests:\n"
                + "  - interval: 15s\n    input_series:\n"
                + "      - series: 'mtls_probe_interval_seconds{namespace=\"team-app\",pod=\"naked-1\"}'\n"
                + "        values: '5x24'\n"
                + "      - series: 'mtls_probe_interval_seconds{namespace=\"team-app\",pod=\"sidecar-1\"}'\n"
                + "        values: '5x24'\n" + series
                + "    promql_expr_test:\n      - expr: mtls_probe:enforced\n        eval_time: 5m\n"
                + "        exp_samples:\n" + expected;
        Files.writeString(dir.resolve("pair.test.yaml"), test);
        Process p = new ProcessBuilder(promtool.toString(), "test", "rules", "pair.test.yaml").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not end");
        assertEquals(0, p.exitValue(), out);
    }

    private static Side sideOf(Object[] c) {
        return c[0] == null ? Side.none("no series") : side((Verdict) c[0], "x", (Long) c[1]);
    }

    /** The series a probe of this role exports for one target: verdict gauges and the latest attempt's time. */
    private static String roleSeries(String target, String role, Object[] c) {
        if (c[0] == null) {
            return "";
        }
        String labels = "namespace=\"team-app\",pod=\"" + role + "-1\",role=\"" + role + "\",target=\"" + target + "\"";
        StringBuilder sb = new StringBuilder();
        for (Verdict v : Verdict.values()) {
            sb.append("      - series: 'mtls_probe_verdict{").append(labels).append(",verdict=\"").append(v.label())
                    .append("\"}'\n        values: '").append(v == c[0] ? 1 : 0).append("x24'\n");
        }
        long age = (Long) c[1];
        return sb.append("      - series: 'mtls_probe_last_attempt_timestamp_seconds{").append(labels)
                .append("}'\n        values: '").append(300 - age).append("x24'\n").toString();
    }
}
