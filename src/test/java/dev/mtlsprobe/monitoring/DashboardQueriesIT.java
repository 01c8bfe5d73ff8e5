package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Prerequisites;
import dev.mtlsprobe.testsupport.ProbeJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every dashboard query and variable, of the single- and the multi-cluster rendering, answers on a real Prometheus
 * that scrapes both probes of the packaged jar and synthetic Istio telemetry and evaluates the mixin's rules (with
 * the rate and settling windows shortened to seconds, everything else as shipped). The naked probe reads a mock
 * Kubernetes API holding the lab with its STRICT PeerAuthentication, so the effective mode is the jar's own; the
 * Istio-joined alerts fire on that join.
 */
class DashboardQueriesIT {

    static final String XFCC = AlertPathIT.XFCC;
    /** The shipped configuration but for windows short enough for a test; the alerts fire at once. */
    static final String WINDOWS = "istioRateWindow: '20s', istioStrictSettledWindow: '20s', 'for'+: {"
            + " MtlsProbeStrictWorkloadReceivedPlaintext: '', MtlsProbeNamespaceUnproven: '' }";

    @Test
    void everyPanelAndVariableAnswersOnProbeAndIstioSeries() throws Exception {
        Path prometheusBin = Prerequisites.tool("prometheus", "prometheus");
        Path dir = MonitoringFiles.freshDir("dashboard-queries");
        Path rules = Mixin.rules(Files.createDirectories(dir.resolve("rules")), "{" + WINDOWS + "}");
        Map<String, List<Path>> renderings = Map.of(
                "single-cluster", Mixin.dashboards(Files.createDirectories(dir.resolve("single")), "{" + WINDOWS + "}"),
                "multi-cluster", Mixin.dashboards(Files.createDirectories(dir.resolve("multi")),
                        "{" + WINDOWS + ", showMultiCluster: true}"));

        try (LocalServer httpbinForNaked = new LocalServer(LocalServer.reset());
                LocalServer httpbinForSidecar = new LocalServer(LocalServer.echo(XFCC));
                LocalServer envoyReady = new LocalServer(LocalServer.respond(200, "text/plain", ""));
                LabApi api = LabApi.strictTeamApp(httpbinForNaked.port());
                ProbeJar naked = ProbeJar.launch().env(nakedInTheLab(api, httpbinForNaked.port(), dir)).start();
                ProbeJar sidecar = ProbeJar.launch().outsideAPod("sidecar", httpbinForSidecar.url("/headers"),
                        envoyReady.url("/healthz/ready"), dir).startReady(java.time.Duration.ofSeconds(90));
                IstioTelemetry istio = new IstioTelemetry(traffic());
                PrometheusServer prom = PrometheusServer.start(prometheusBin, dir,
                        prometheusConfig(rules, naked.managementPort, sidecar.managementPort, istio.target()))) {

            for (String expr : List.of("mtls_probe:enforced{namespace=\"team-app\", target=\"httpbin\"} == 1",
                    "mtls_probe_peer_authentication_mode{target_namespace=\"team-app\", mode=\"STRICT\"} == 1",
                    "ALERTS{alertname=\"MtlsProbeStrictWorkloadReceivedPlaintext\", alertstate=\"firing\"}",
                    "ALERTS{alertname=\"MtlsProbeNamespaceUnproven\", alertstate=\"firing\"}")) {
                assertTrue(LocalHttp.await(Duration.ofSeconds(90), () -> prom.holds(expr)), expr
                        + " never held\n" + naked.output() + "\n" + sidecar.logTail() + "\n" + prom.logTail());
            }
            assertIstioAlerts(prom);

            Set<String> exported = new TreeSet<>(sidecar.metricNames());
            exported.addAll(naked.metricNames());
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, List<Path>> r : renderings.entrySet()) {
                assertEquals(2, r.getValue().size(), r.getKey() + ": " + r.getValue());
                for (Path file : r.getValue()) {
                    JsonNode dashboard = Dashboards.read(file);
                    Map<String, String> values = values(file);
                    checkVariables(prom, r.getKey() + " " + file.getFileName(), dashboard, values, problems);
                    for (Dashboards.Query q : Dashboards.queries(dashboard)) {
                        checkQuery(prom, r.getKey() + " " + file.getFileName(), q, values, exported, problems);
                    }
                }
            }
            assertEquals(List.of(), problems);
        }
    }

    /** The join of Istio's series with the jar's own STRICT: the plaintext caller, the namespace without a pair. */
    private static void assertIstioAlerts(PrometheusServer prom) throws Exception {
        List<String> firing = new ArrayList<>();
        for (JsonNode a : prom.alerts()) {
            JsonNode l = a.path("labels");
            if ("firing".equals(a.path("state").asText()) && l.path("alertname").asText().startsWith("MtlsProbe")
                    && !l.has("target")) {
                firing.add(l.path("alertname").asText() + " " + l.path("cluster").asText() + "/"
                        + l.path("namespace").asText() + " " + l.path("source_workload").asText(""));
            }
        }
        assertEquals(List.of("MtlsProbeNamespaceUnproven lab/shop-backend ",
                "MtlsProbeStrictWorkloadReceivedPlaintext lab/team-app unknown"), firing.stream().sorted().toList());
    }

    /** Istio's view: the sidecar probe's own mTLS calls to httpbin, plaintext that should not exist, and more. */
    private static List<IstioTelemetry.Series> traffic() {
        IstioTelemetry.Series probeCalls = IstioTelemetry.requests("mtls-probe-sidecar", "team-app", "httpbin",
                "team-app", "mutual_tls", 1);
        return List.of(probeCalls, IstioTelemetry.reportedBySource(probeCalls),
                // plaintext into a workload the probes read as STRICT
                IstioTelemetry.requests("unknown", "unknown", "httpbin", "team-app", "none", 2),
                // a plaintext TCP caller of a workload nobody proves STRICT: ready for STRICT? not yet
                IstioTelemetry.connections("batch-job", "jobs", "ledger", "legacy", "none", 1),
                // mTLS traffic into a namespace without a probe pair
                IstioTelemetry.requests("web", "shop", "orders", "shop-backend", "mutual_tls", 3));
    }

    /** The jar as the naked pod of the lab: the Kubernetes features on, the mock API, httpbin-svc resolved locally. */
    private static Map<String, String> nakedInTheLab(LabApi api, int httpbinPort, Path dir) throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.0.1 httpbin-svc\n");
        return Map.ofEntries(
                Map.entry("JAVA_TOOL_OPTIONS", "-Djdk.net.hosts.file=" + hosts),
                Map.entry("KUBERNETES_MASTER", api.url()),
                Map.entry("KUBERNETES_AUTH_TRYKUBECONFIG", "false"),
                Map.entry("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false"),
                Map.entry("POD_NAME", LabApi.NAKED_POD),
                Map.entry("POD_NAMESPACE", "team-app"),
                Map.entry("MTLS_PROBE_PODINFO_ANNOTATIONS", dir.resolve("no-annotations").toString()),
                Map.entry("MTLS_PROBE_PODINFO_LABELS", dir.resolve("no-labels").toString()),
                Map.entry("MTLS_PROBE_INTERVAL", "1s"),
                Map.entry("MTLS_PROBE_TIMEOUT", "800ms"),
                Map.entry("QUARKUS_HTTP_HOST", "127.0.0.1"),
                Map.entry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1"),
                Map.entry("MTLS_PROBE_TARGETS_HTTPBIN_URL", "http://httpbin-svc:" + httpbinPort + "/headers"),
                // the coverage sweep of the lab's namespace: httpbin-svc has no EndpointSlice here, so its port is
                // unknown, which is enough for the coverage panel to answer
                Map.entry("MTLS_PROBE_SWEEP_NAMESPACES", "team-app"));
    }

    /** What each dashboard's variables are set to: the probes' namespace and target, or every namespace. */
    private static Map<String, String> values(Path file) {
        boolean overview = file.getFileName().toString().equals("mtls-probe.json");
        return Map.of("namespace", overview ? "team-app" : ".*", "target", "httpbin", "cluster", "lab",
                "__rate_interval", "15s");
    }

    private static void checkQuery(PrometheusServer prom, String where, Dashboards.Query q, Map<String, String> values,
            Set<String> exported, List<String> problems) throws Exception {
        String expr = substitute(q.expr(), values);
        String what = where + " '" + q.panelTitle() + "' " + q.refId() + ": " + expr;
        JsonNode data;
        try {
            data = prom.query(expr);
        } catch (IOException e) {
            problems.add(what + " -> " + e.getMessage());
            return;
        }
        if (data.path("result").size() > 0) {
            return;
        }
        List<String> missing = PromQl.metrics(q.expr()).stream().map(PromQl.MetricUse::metric)
                .filter(m -> m.startsWith("mtls_probe_") && !exported.contains(m)).toList();
        if (missing.isEmpty()) {
            problems.add(what + " -> no series");
        } else {
            System.out.println("panel query answers, no series expected: this build does not export " + missing
                    + " (" + what + ")");
        }
    }

    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");

    /** Every query variable lists the value the test sets it to (every namespace: at least team-app). */
    private static void checkVariables(PrometheusServer prom, String where, JsonNode dashboard,
            Map<String, String> values, List<String> problems) throws Exception {
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            String name = v.path("name").asText();
            String query = v.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(query);
            if (!m.matches()) {
                problems.add(where + " variable " + name + ": not label_values(metric, label): " + query);
                continue;
            }
            String expected = values.get(name).equals(".*") ? "team-app" : values.get(name);
            JsonNode found = prom.labelValues(m.group(2), substitute(m.group(1), values));
            if (!found.toString().contains("\"" + expected + "\"")) {
                problems.add(where + " variable " + name + " (" + query + ") -> " + found + ", expected " + expected);
            }
        }
    }

    private static String substitute(String expr, Map<String, String> values) {
        String out = expr;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("$" + e.getKey(), e.getValue());
        }
        return out;
    }


    /** Scrape and evaluate every second; the labels Kubernetes discovery (and a multi-cluster setup) would add. */
    private static String prometheusConfig(Path rules, int nakedPort, int sidecarPort, String istio) {
        return PrometheusServer.everySecond(rules) + """
                scrape_configs:
                  - job_name: mtls-probe
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {cluster: lab, namespace: team-app, pod: %s}
                      - targets: ['127.0.0.1:%d']
                        labels: {cluster: lab, namespace: team-app, pod: mtls-probe-sidecar-5c4b-fghij}
                  - job_name: envoy-stats
                    metrics_path: /stats/prometheus
                    static_configs:
                      - targets: ['%s']
                        labels: {cluster: lab, namespace: team-app, pod: httpbin-5d7f9c-abcde}
                """.formatted(nakedPort, LabApi.NAKED_POD, sidecarPort, istio);
    }
}
