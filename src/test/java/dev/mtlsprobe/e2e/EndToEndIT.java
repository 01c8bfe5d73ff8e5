package dev.mtlsprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mtlsprobe.testsupport.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar in a real mini-mesh (src/test/e2e/run.sh): network namespaces, HAProxy sidecars, httpbin,
 * the project's rules in Prometheus and its routing in Alertmanager. Needs root and the Debian packages;
 * without them it skips with one line, or fails under CI=true.
 */
class EndToEndIT {

    private static final Path SCRIPT = Path.of("src/test/e2e/run.sh");
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path OUT = Path.of("target/e2e");
    private static final int MISSING_PREREQUISITE = 77;
    private static final List<String> SCENARIOS = List.of("1 STRICT", "2 PERMISSIVE", "3 STRICT again",
            "4 allow list", "5 httpbin down", "6 probe killed", "7 naked intent, sidecar", "8 one-shot check",
            "9 coverage sweep");

    @Test
    void everyScenarioPassesAndNothingIsLeftBehind() throws Exception {
        Files.createDirectories(OUT);
        Path log = OUT.resolve("run.log");
        Files.deleteIfExists(OUT.resolve("report.txt"));

        Run check = run(List.of("--check"), log, 60);
        if (check.exitCode() == MISSING_PREREQUISITE) {
            String line = check.output().lines().filter(l -> l.startsWith("SKIP: ")).findFirst()
                    .orElse("SKIP: e2e prerequisites missing").substring("SKIP: ".length());
            Prerequisites.missing(line);
        }
        assertEquals(0, check.exitCode(), check.output());

        Run e2e = run(List.of(), log, 15 * 60);
        System.out.println(e2e.output());
        Path reportFile = OUT.resolve("report.txt");
        String report = Files.exists(reportFile) ? Files.readString(reportFile, StandardCharsets.UTF_8)
                : "(no report: the harness stopped before the scenarios)";
        assertEquals(0, e2e.exitCode(), "run.sh exit code (1 a scenario failed, 2 the harness failed); log "
                + log.toAbsolutePath() + "\n" + report);
        List<String> rows = report.lines().filter(l -> l.matches("^\\d .*")).toList();
        assertEquals(SCENARIOS, rows.stream().map(EndToEndIT::scenario).toList(), report);
        for (String row : rows) {
            assertTrue(row.endsWith("  PASS"), "scenario did not pass: " + row);
        }
        assertTrue(e2e.output().contains("clean: no namespaces, /etc/netns entries or processes of run"),
                "the harness proved it left nothing behind");
    }

    /** The scenario column: everything before the two-space column gap. */
    private static String scenario(String row) {
        return row.substring(0, row.indexOf("  "));
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(List<String> args, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("E2E_JAR", JAR.toAbsolutePath().toString());
        env.put("E2E_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("E2E_OUT", OUT.toAbsolutePath().toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroy(); // SIGTERM: the script's trap still removes everything it created
                p.waitFor(60, TimeUnit.SECONDS);
                fail("run.sh " + String.join(" ", args) + " did not finish within " + timeoutSeconds + "s; log " + log);
            }
            return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
