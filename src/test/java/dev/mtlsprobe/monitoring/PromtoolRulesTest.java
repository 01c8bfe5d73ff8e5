package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** promtool check/test rules on the rules extracted from k8s/monitoring/prometheusrule.yaml. */
class PromtoolRulesTest {

    @Test
    void rulesPassPromtoolCheck() throws Exception {
        Path promtool = Prerequisites.tool("promtool", "prometheus");
        Path dir = MonitoringFiles.freshDir("promtool-check");
        Path rules = MonitoringFiles.extractRules(dir.resolve("mtls-probe.rules.yaml"));

        Exec.Result r = Exec.run(dir, List.of(promtool.toString(), "check", "rules", rules.toString()));

        assertEquals(0, r.exitCode(), r.output());
        int expected = MonitoringFiles.rules().size();
        assertTrue(r.output().contains("SUCCESS: " + expected + " rules found"), r.output());
    }

    @Test
    void ruleUnitTestsPass() throws Exception {
        Path promtool = Prerequisites.tool("promtool", "prometheus");
        Path dir = MonitoringFiles.freshDir("promtool-test");
        // The test files name "mtls-probe.rules.yaml", resolved beside them.
        MonitoringFiles.extractRules(dir.resolve("mtls-probe.rules.yaml"));
        List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "test", "rules"));
        for (Path t : MonitoringFiles.ruleTests()) {
            Files.copy(t, dir.resolve(t.getFileName()));
            cmd.add(t.getFileName().toString());
        }
        assertTrue(cmd.size() > 3, "no *.test.yaml under " + MonitoringFiles.RULE_TESTS);

        Exec.Result r = Exec.run(dir, cmd);

        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(!r.output().contains("FAILED"), r.output());
    }
}
