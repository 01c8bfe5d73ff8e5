package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard checklist (after grafana/dashboard-linter): datasource variable, units, $__rate_interval,
 * counters only inside rate/increase, unique panel ids, layout within 24 columns; plus: every metric a panel
 * names is in the contract or recorded by the rules, the panels the product promises are there, each described in
 * docs/monitoring.md, and both dashboards link to Istio's Workload and Service dashboards.
 */
class DashboardLintTest {

    static final Set<String> DATASOURCE_REFS = Set.of("${datasource}", "$datasource");
    // Grafana unit ids the dashboards may use.
    static final Set<String> UNITS = Set.of("none", "short", "s", "ms", "µs", "ns", "ops", "opm", "reqps", "rps",
            "percent", "percentunit", "bool", "bool_yes_no", "dateTimeAsIso", "dateTimeFromNow", "string", "bytes");
    static final Set<String> RATE_FUNCTIONS = Set.of("rate", "increase", "irate");

    static List<Path> dashboards() throws Exception {
        List<Path> files = MonitoringFiles.dashboards();
        assertFalse(files.isEmpty(), "no dashboard under grafana/");
        return files;
    }

    static final Path OVERVIEW = MonitoringFiles.GRAFANA.resolve("mtls-probe.json");
    static final Path ISTIO = MonitoringFiles.GRAFANA.resolve("mtls-probe-istio.json");

    @ParameterizedTest
    @MethodSource("dashboards")
    void identityAndVariables(Path file) throws Exception {
        JsonNode d = Dashboards.read(file);
        String uid = d.path("uid").asText();
        assertTrue(uid.matches("[a-z0-9-]{1,40}"), file + ": uid must be a fixed, readable id: " + uid);
        assertFalse(d.path("title").asText().isBlank(), file + ": title");
        assertTrue(d.path("tags").size() > 0 && d.path("tags").toString().contains("mtls-probe"), file + ": tags");

        JsonNode ds = Dashboards.variable(d, "datasource");
        assertNotNull(ds, file + ": a 'datasource' variable");
        assertEquals("datasource", ds.path("type").asText(), file + ": datasource variable type");
        assertEquals("prometheus", ds.path("query").asText(), file + ": datasource variable query");
        for (JsonNode v : d.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            String name = v.path("name").asText();
            assertTrue(DATASOURCE_REFS.contains(v.path("datasource").path("uid").asText()),
                    file + ": " + name + " variable must query ${datasource}");
            String q = v.path("query").isTextual() ? v.path("query").asText() : v.path("query").path("query").asText();
            assertTrue(q.startsWith("label_values(") && q.contains("mtls_probe"), file + ": " + name + ": " + q);
        }
    }

    @Test
    void theOverviewFiltersByProbeNamespaceAndTarget() throws Exception {
        JsonNode d = Dashboards.read(OVERVIEW);
        for (String name : List.of("namespace", "target")) {
            JsonNode v = Dashboards.variable(d, name);
            assertNotNull(v, "overview: a '" + name + "' variable");
            assertEquals("query", v.path("type").asText(), "overview: " + name + " variable type");
        }
        for (Dashboards.Query q : Dashboards.queries(d)) {
            assertTrue(q.expr().contains("namespace=~\"$namespace"), q.panelTitle() + ": " + q.expr());
        }
    }

    @Test
    void dashboardsHaveDistinctUidsAndLinkToEachOtherAndToIstiosDashboards() throws Exception {
        Set<String> uids = new HashSet<>();
        for (Path file : dashboards()) {
            assertTrue(uids.add(Dashboards.read(file).path("uid").asText()), file + ": uid used twice");
        }
        for (Path file : dashboards()) {
            JsonNode d = Dashboards.read(file);
            Set<String> urls = new HashSet<>();
            d.path("links").forEach(l -> urls.add(l.path("url").asText()));
            Set<String> others = new HashSet<>(uids);
            others.remove(d.path("uid").asText());
            for (String other : others) {
                assertTrue(urls.contains("/d/" + other), file + ": no link to dashboard " + other + ": " + urls);
            }
            assertTrue(urls.stream().anyMatch(u -> u.startsWith("/d/") && !uids.contains(u.substring(3)))
                    && d.path("links").toString().contains("Istio Workload Dashboard")
                    && d.path("links").toString().contains("Istio Service Dashboard"),
                    file + ": links to Istio's Workload and Service dashboards: " + d.path("links"));
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void panelsHaveUniqueIdsUnitsDatasourceAndFitTheGrid(Path file) throws Exception {
        JsonNode d = Dashboards.read(file);
        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        for (JsonNode p : Dashboards.panels(d)) {
            String t = file.getFileName() + " panel '" + p.path("title").asText() + "'";
            assertTrue(p.path("id").isInt(), t + ": id");
            assertTrue(ids.add(p.path("id").asInt()), t + ": duplicate panel id " + p.path("id"));
            JsonNode g = p.path("gridPos");
            int x = g.path("x").asInt(-1), y = g.path("y").asInt(-1), w = g.path("w").asInt(0), h = g.path("h").asInt(0);
            assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 24, t + ": gridPos " + g);
            if ("row".equals(p.path("type").asText())) {
                continue;
            }
            for (int[] b : boxes) {
                boolean overlap = x < b[0] + b[2] && b[0] < x + w && y < b[1] + b[3] && b[1] < y + h;
                assertFalse(overlap, t + ": overlaps another panel");
            }
            boxes.add(new int[] {x, y, w, h});
            assertFalse(p.path("title").asText().isBlank(), t + ": title");
            assertFalse(p.path("description").asText().isBlank(), t + ": description");
            String unit = p.path("fieldConfig").path("defaults").path("unit").asText();
            assertTrue(UNITS.contains(unit), t + ": unit '" + unit + "' (set fieldConfig.defaults.unit)");
            assertTrue(DATASOURCE_REFS.contains(p.path("datasource").path("uid").asText()), t + ": datasource");
            assertTrue(p.path("targets").size() > 0, t + ": no query");
            for (JsonNode q : p.path("targets")) {
                assertTrue(DATASOURCE_REFS.contains(q.path("datasource").path("uid").asText()),
                        t + " " + q.path("refId").asText() + ": datasource");
                assertFalse(q.path("expr").asText().isBlank(), t + ": empty expr");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void queriesUseRateIntervalAggregateCountersAndNameContractMetrics(Path file) throws Exception {
        Set<String> records = MonitoringFiles.rules().stream().map(r -> r.path("record").asText())
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (Dashboards.Query q : Dashboards.queries(Dashboards.read(file))) {
            String t = file.getFileName() + " '" + q.panelTitle() + "' " + q.refId() + ": " + q.expr();
            for (String range : PromQl.ranges(q.expr())) {
                assertEquals("$__rate_interval", range, t);
            }
            List<PromQl.MetricUse> uses = PromQl.metrics(q.expr());
            assertFalse(uses.isEmpty(), t + ": names no mtls-probe metric");
            for (PromQl.MetricUse u : uses) {
                if (u.metric().matches(".*_(total|bucket|count|sum)")) {
                    assertTrue(RATE_FUNCTIONS.contains(u.enclosingFunction()),
                            t + ": counter " + u.metric() + " outside rate()/increase()");
                } else {
                    assertFalse(RATE_FUNCTIONS.contains(u.enclosingFunction()),
                            t + ": rate()/increase() of gauge " + u.metric());
                }
                if (u.metric().contains(":")) {
                    assertTrue(records.contains(u.metric()), t + ": " + u.metric() + " is not recorded by the rules");
                } else if (!u.metric().equals("ALERTS")) {
                    assertTrue(MonitoringFiles.CONTRACT_METRICS.contains(u.metric())
                            || MonitoringFiles.COVERAGE_METRICS.contains(u.metric()),
                            t + ": " + u.metric() + " is not a metric of the contract or the coverage sweep");
                }
            }
        }
    }

    /** The panels the product promises, recognised by what they query. */
    @Test
    void theOverviewHasThePromisedPanels() throws Exception {
        List<String> panelExprs = panelExprs(Dashboards.read(OVERVIEW));
        assertPanel(panelExprs, "enforcement verdict", "mtls_probe:enforced");
        assertPanel(panelExprs, "verification matrix", "mtls_probe_last_outcome", "mtls_probe_verdict");
        assertPanel(panelExprs, "outcomes over time", "mtls_probe_attempts_total");
        assertPanel(panelExprs, "latency p50/p95 by role", "histogram_quantile(0.5,", "histogram_quantile(0.95,",
                "role");
        assertPanel(panelExprs, "identities seen", "mtls_probe_peer_identity_info");
        assertPanel(panelExprs, "PeerAuthentication mode", "mtls_probe_peer_authentication_mode");
        assertPanel(panelExprs, "probe freshness", "mtls_probe_last_attempt_timestamp_seconds",
                "mtls_probe_interval_seconds");
        assertPanel(panelExprs, "firing alerts", "ALERTS{", "firing");
        assertPanel(panelExprs, "skipped attempts", "mtls_probe_skipped_attempts_total");
        assertPanel(panelExprs, "coverage: service ports", "mtls_probe_sweep_port_state");
    }

    @Test
    void theIstioDashboardHasThePromisedPanelsLinkedToIstiosWorkloadDashboard() throws Exception {
        JsonNode d = Dashboards.read(ISTIO);
        List<String> panelExprs = panelExprs(d);
        assertPanel(panelExprs, "plaintext received by STRICT workloads", "connection_security_policy=\"none\"",
                "and on", "mtls_probe:istio_workload_strict");
        assertPanel(panelExprs, "ready for STRICT: plaintext callers", "mtls_probe:istio_plaintext_callers");
        assertPanel(panelExprs, "unproven namespaces", "connection_security_policy=\"mutual_tls\"",
                "mtls_probe:namespace_probed");
        assertPanel(panelExprs, "probed workloads", "mtls_probe:istio_workload_strict");
        for (JsonNode p : Dashboards.panels(d)) {
            if (p.path("targets").toString().contains("destination_workload") && "table".equals(p.path("type").asText())
                    && !p.path("targets").toString().contains("ALERTS")
                    && !p.path("title").asText().equals("Unproven namespaces")) {
                String links = p.path("fieldConfig").path("defaults").path("links").toString();
                assertTrue(links.contains("var-workload=${__data.fields.destination_workload}")
                        && links.contains("var-namespace=${__data.fields.destination_workload_namespace}"),
                        "'" + p.path("title").asText() + "': rows link to Istio's Workload dashboard: " + links);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dashboards")
    void everyPanelIsDescribedInTheMonitoringDoc(Path file) throws Exception {
        String doc = Files.readString(MonitoringFiles.MONITORING_DOC);
        for (JsonNode p : Dashboards.panels(Dashboards.read(file))) {
            assertTrue(doc.contains("**" + p.path("title").asText() + "**"),
                    "docs/monitoring.md has no description of panel '" + p.path("title").asText() + "'");
        }
    }

    private static List<String> panelExprs(JsonNode d) {
        List<String> panelExprs = new ArrayList<>();
        for (JsonNode p : Dashboards.panels(d)) {
            StringBuilder all = new StringBuilder();
            p.path("targets").forEach(t -> all.append(t.path("expr").asText()).append('\n'));
            panelExprs.add(all.toString());
        }
        return panelExprs;
    }

    private static void assertPanel(List<String> panelExprs, String what, String... fragments) {
        boolean found = panelExprs.stream().anyMatch(e -> {
            for (String f : fragments) {
                if (!e.contains(f)) {
                    return false;
                }
            }
            return true;
        });
        assertTrue(found, "no panel for " + what + " (a panel querying " + String.join(" + ", fragments) + ")");
    }
}
