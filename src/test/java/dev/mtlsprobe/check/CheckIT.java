package dev.mtlsprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Ports;
import dev.mtlsprobe.testsupport.ProbeJar;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The packaged jar in check mode, started as users start it, against loopback servers: every exit code in the JSON
 * and the JUnit format (the text report is on stdout in every run), the sidecar role from downward-API files, a
 * role mismatch, a bad option and a bad value. The runs start at once, a few at a time, and are asserted one by one.
 */
class CheckIT {

    static final String XFCC = CheckRunTest.XFCC;
    static final String STATUS = "sidecar.istio.io/status=\"{\\\"containers\\\":[\\\"istio-proxy\\\"]}\"\n";
    static final ExecutorService POOL = Executors.newFixedThreadPool(3); // each run is a JVM start

    static LocalServer strict;
    static LocalServer permissive;
    static LocalServer meshed;
    static LocalServer hanging;
    static LocalServer ready;
    static LocalServer kubeApi;

    record Run(int exit, String output, String report, long millis) {
    }

    @BeforeAll
    static void servers() throws IOException {
        strict = new LocalServer(LocalServer.reset());
        permissive = new LocalServer(LocalServer.echo(null));
        meshed = new LocalServer(LocalServer.echo(XFCC));
        hanging = new LocalServer(LocalServer.hang());
        ready = new LocalServer(LocalServer.respond(200, "text/plain", ""));
        kubeApi = new LocalServer(LocalServer.respond(500, "text/plain", "no"));
    }

    @AfterAll
    static void stop() throws IOException {
        POOL.shutdownNow();
        for (LocalServer s : List.of(strict, permissive, meshed, hanging, ready, kubeApi)) {
            s.close();
        }
    }

    /** A pod's downward-API files in {@code dir}; the environment that points the probe at them. */
    static Map<String, String> pod(Path dir, String annotations, String labels) throws IOException {
        Files.writeString(dir.resolve("annotations"), annotations);
        Files.writeString(dir.resolve("labels"), labels);
        return Map.of("MTLS_PROBE_PODINFO_ANNOTATIONS", dir.resolve("annotations").toString(),
                "MTLS_PROBE_PODINFO_LABELS", dir.resolve("labels").toString(),
                "MTLS_PROBE_SIDECAR_READY_URL", ready.url("/healthz/ready"));
    }

    static Map<String, String> outsideAPod(Path dir) {
        return Map.of("MTLS_PROBE_PODINFO_ANNOTATIONS", dir.resolve("none").toString(),
                "MTLS_PROBE_PODINFO_LABELS", dir.resolve("none").toString());
    }

    static Future<Run> check(String name, Map<String, String> env, Path report, String... args) {
        Callable<Run> run = () -> {
            long start = System.nanoTime();
            try (ProbeJar p = ProbeJar.launch().name(name).env(env).args(args).start()) {
                int exit = p.waitFor(Duration.ofSeconds(90));
                long millis = (System.nanoTime() - start) / 1_000_000;
                String written = report != null && Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8)
                        : null;
                System.out.printf("check %s: exit %d in %d ms (JVM start to exit, loaded build machine)%n", name, exit,
                        millis);
                return new Run(exit, p.output(), written, millis);
            }
        };
        return POOL.submit(run);
    }

    @Test
    void everyExitCodeInEveryFormat(@TempDir Path dir) throws Exception {
        Path sidecarPod = Files.createDirectories(dir.resolve("sidecar-pod"));
        Path mislabelled = Files.createDirectories(dir.resolve("mislabelled-pod"));
        Map<String, String> sidecar = new HashMap<>(pod(sidecarPod, STATUS, "app=\"mtls-probe\"\n"));
        // The check must not touch the Kubernetes API even where the service would (POD_NAMESPACE and an API URL).
        sidecar.putAll(Map.of("POD_NAMESPACE", "team-app", "POD_NAME", "check-sidecar",
                "KUBERNETES_MASTER", kubeApi.url("")));
        int closed = Ports.free();
        Map<String, String> selected = new HashMap<>(outsideAPod(dir));
        selected.putAll(Map.of("MTLS_PROBE_TARGETS_SLOW_URL", hanging.url("/headers"),
                "MTLS_PROBE_TARGETS_OTHER_URL", strict.url("/headers"), "MTLS_PROBE_TIMEOUT", "300ms"));

        try (ServerSocket http = hold(); ServerSocket management = hold()) {
            Map<String, String> portsTaken = new HashMap<>(outsideAPod(dir));
            portsTaken.put("QUARKUS_HTTP_PORT", String.valueOf(http.getLocalPort()));
            portsTaken.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management.getLocalPort()));
            Future<Run> passJunit = check("pass-junit", portsTaken, dir.resolve("pass.xml"), "check", "--role", "naked",
                    "--target", "strict=" + strict.url("/headers"), "--attempts", "2", "--format", "junit",
                    "--output", dir.resolve("pass.xml").toString());
            Future<Run> passJson = check("pass-json", sidecar, null, "check", "--target", "meshed=" + meshed.url("/headers"),
                    "--format", "json");
            Future<Run> failJunit = check("fail-junit", outsideAPod(dir), dir.resolve("fail.xml"), "check", "--role",
                    "naked", "--target", "permissive=" + permissive.url("/headers"), "--format=junit",
                    "--output=" + dir.resolve("fail.xml"));
            Future<Run> failJson = check("fail-json", pod(mislabelled, STATUS, "sidecar.istio.io/inject=\"false\"\n"),
                    dir.resolve("fail.json"), "check", "--target", "meshed=" + meshed.url("/headers"), "--attempts", "1",
                    "--format", "json", "--output", dir.resolve("fail.json").toString());
            Future<Run> inconclusiveJunit = check("inconclusive-junit", outsideAPod(dir), dir.resolve("inconclusive.xml"),
                    "check", "--role", "naked", "--target", "closed=http://127.0.0.1:" + closed + "/headers",
                    "--format", "junit", "--output", dir.resolve("inconclusive.xml").toString());
            Future<Run> inconclusiveJson = check("inconclusive-json", selected, null, "check", "--role", "naked",
                    "--target", "slow", "--attempts", "2", "--format", "json");

            Run r = passJunit.get();
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().startsWith("PASS  naked  strict  reset 2/2  " + strict.url("/headers")), r.output());
            assertTrue(r.output().contains("\nmtls-probe check: PASS (exit 0): 1 lane(s): 1 pass, 0 fail, 0 inconclusive;"
                    + " 2 attempt(s) each; role naked (detected from config), as intended;"), r.output());
            assertEquals(2, strict.connections(), "one connection per attempt, and no probe loop beside the check");
            Document d = JunitXml.parse(r.report());
            assertEquals("0", d.getDocumentElement().getAttribute("failures"));
            assertEquals(List.of("strict"), JunitXml.testcases(d).stream().map(c -> c.getAttribute("name")).toList());

            r = passJson.get();
            assertEquals(0, r.exit(), r.output());
            JsonNode j = new ObjectMapper().readTree(r.output()); // the whole output: a check logs nothing at WARN
            assertEquals("pass", j.get("verdict").asText());
            assertEquals("sidecar", j.get("role").asText());
            assertEquals("downward-api", j.get("roleSource").asText());
            assertEquals("mtls", j.at("/lanes/0/attempts/2/outcome").asText());
            assertEquals("spiffe://cluster.local/ns/a/sa/probe", j.at("/lanes/0/attempts/0/clientId").asText());
            assertEquals(0, kubeApi.connections(), "no Kubernetes API call in check mode");
            assertTrue(ready.connections() >= 1, "the sidecar's readiness was asked before the attempts");

            r = failJunit.get();
            assertEquals(1, r.exit(), r.output());
            assertTrue(r.output().startsWith("FAIL  naked  permissive  plaintext 3/3"), r.output());
            d = JunitXml.parse(r.report());
            Element failure = JunitXml.children(JunitXml.testcases(d).get(0), "failure").get(0);
            assertEquals("plaintext", failure.getAttribute("type"));
            assertTrue(failure.getAttribute("message").contains("plaintext from a pod without a sidecar was accepted"),
                    failure.getAttribute("message"));

            r = failJson.get();
            assertEquals(1, r.exit(), r.output());
            j = new ObjectMapper().readTree(r.report());
            assertEquals("fail", j.get("verdict").asText(), "a naked pod that got a sidecar proves nothing");
            assertTrue(j.get("roleMismatch").asBoolean());
            assertEquals("pass", j.at("/lanes/0/verdict").asText(), "although its own lane passed");
            assertTrue(r.output().contains("FAIL  role: role sidecar (detected from downward-api) but intended naked"),
                    r.output());

            r = inconclusiveJunit.get();
            assertEquals(2, r.exit(), r.output());
            d = JunitXml.parse(r.report());
            assertEquals("1", d.getDocumentElement().getAttribute("skipped"));
            Element skipped = JunitXml.children(JunitXml.testcases(d).get(0), "skipped").get(0);
            assertTrue(skipped.getAttribute("message").startsWith("inconclusive: refused 3/3"),
                    skipped.getAttribute("message"));

            r = inconclusiveJson.get();
            assertEquals(2, r.exit(), r.output());
            j = new ObjectMapper().readTree(r.output());
            assertEquals(1, j.get("lanes").size(), "--target slow selects one of the two configured targets");
            assertEquals("slow", j.at("/lanes/0/target").asText());
            assertEquals(2, j.at("/lanes/0/outcomes/timeout").asInt());
            assertEquals(2, j.get("exitCode").asInt());
        }
    }

    @Test
    void aBadOptionOrValueIsOneLineAndExit1(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(outsideAPod(dir));
        env.put("MTLS_PROBE_TARGETS_HTTPBIN_URL", strict.url("/headers"));
        Future<Run> option = check("bad-option", env, null, "check", "--attempts", "0");
        Future<Run> command = check("bad-command", env, null, "chek");
        Future<Run> value = check("bad-value", env, null, "check", "--role", "naked", "--target", "x=ftp://h/");
        Future<Run> missing = check("missing-target", env, null, "check", "--role", "naked", "--target", "nope");
        assertOneLine(option.get(), "Invalid option: --attempts=\"0\": use 1 to 100 (each attempt may take the whole "
                + "timeout, so the check stays bounded); e.g. --attempts 3");
        assertOneLine(command.get(), "Invalid option: chek: not a command; run without arguments for the service, or "
                + "\"check\" for a one-shot check (check --help)");
        assertOneLine(value.get(), "Invalid configuration: mtls-probe.targets.x.url=\"ftp://h/\": the scheme must be "
                + "http or https (the probe speaks plain HTTP and lets the sidecar add mTLS)");
        assertOneLine(missing.get(), "Invalid option: --target=\"nope\": no target of that name is configured; "
                + "configured: httpbin");
    }

    static void assertOneLine(Run r, String line) {
        assertEquals(1, r.exit(), r.output());
        assertEquals(List.of(line), r.output().lines().toList());
    }

    /** A loopback port held open, so that a process that tried to listen on it would fail to start. */
    static ServerSocket hold() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }
}
