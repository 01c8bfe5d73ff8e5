package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped rules and dashboards are what the mixin renders today, and every _config key reaches the rules and
 * panels it is documented to change.
 */
class MixinTest {

    /** Every file generate.sh writes, relative to the repository root. */
    static final List<String> GENERATED = List.of("k8s/monitoring/prometheusrule.yaml",
            "k8s/monitoring/mtls-probe.rules.yaml", "grafana/kustomization.yaml");

    @Test
    void theCommittedFilesAreWhatTheMixinRenders() throws Exception {
        Path out = MonitoringFiles.freshDir("generated");
        Exec.Result r = Mixin.generate(out);
        assertEquals(0, r.exitCode(), r.output());

        Set<String> dashboards = jsonFiles(out.resolve("grafana"));
        assertEquals(dashboards, jsonFiles(MonitoringFiles.GRAFANA), "grafana/*.json differ from the mixin's "
                + "dashboards: run src/mixin/generate.sh");
        List<String> files = new ArrayList<>(GENERATED);
        dashboards.forEach(d -> files.add("grafana/" + d));
        for (String f : files) {
            assertEquals(Files.readString(out.resolve(f)), Files.readString(MonitoringFiles.ROOT.resolve(f)),
                    f + " is out of date: run src/mixin/generate.sh");
        }
    }

    @Test
    void bothRuleFilesHoldTheSameGroups() throws Exception {
        assertEquals(MonitoringFiles.prometheusRule().path("spec").path("groups"),
                Mixin.groups(MonitoringFiles.PLAIN_RULES));
    }

    static final String CUSTOM = """
            {
              probeSelector: 'job="probes"',
              istioSelector: 'job="envoy"',
              clusterLabel: 'k8s_cluster',
              showMultiCluster: true,
              staleIntervals: 4,
              fallbackIntervalSeconds: 10,
              'for'+: { MtlsProbeDown: '7m' },
              severity+: { MtlsProbeNamespaceUnproven: 'warning' },
              runbookURLPattern: 'https://runbooks.example/%s',
              dashboards+: { overviewUid: 'probe-a', istioUid: 'probe-b' },
              istioDashboards: { workloadUid: 'istio-w', serviceUid: 'istio-s' },
            }""";

    // A metric name (not part of a recorded name such as mtls_probe:istio_inbound_calls:rate5m) and its matchers.
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w:])(mtls_probe_\\w+|istio_\\w+)(?![\\w:])"
            + "(\\{[^}]*})?");
    private static final Pattern CLAUSE = Pattern.compile("\\b(by|on) \\(([^)]*)\\)");

    @Test
    void everyConfigKeyReachesTheRules() throws Exception {
        Path dir = MonitoringFiles.freshDir("mixin-config");
        Path rules = Mixin.rules(dir, CUSTOM);
        Exec.Result check = Exec.run(dir, List.of(Prerequisites.tool("promtool", "prometheus").toString(), "check",
                "rules", rules.toString()));
        assertEquals(0, check.exitCode(), check.output());

        List<String> problems = new ArrayList<>();
        for (JsonNode group : Mixin.groups(rules)) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                String expr = rule.path("expr").asText();
                selectorsCarry(name, expr, problems);
                clausesCarry(name, expr, "k8s_cluster", problems);
                if (rule.has("alert")) {
                    assertEquals("https://runbooks.example/" + name,
                            rule.path("annotations").path("runbook_url").asText(), name);
                }
            }
        }
        assertEquals(List.of(), problems);

        JsonNode down = rule(rules, "MtlsProbeDown");
        assertEquals("7m", down.path("for").asText());
        assertTrue(down.path("expr").asText().contains(") > 4\n"), down.path("expr").asText());
        assertTrue(down.path("expr").asText().contains("10 * group without (target, role)"), "fallback interval");
        assertTrue(rule(rules, "mtls_probe:enforced").path("expr").asText().contains(") <= 4\n"), "staleness");
        assertEquals("warning", rule(rules, "MtlsProbeNamespaceUnproven").path("labels").path("severity").asText());
    }

    @Test
    void everyConfigKeyReachesTheDashboards() throws Exception {
        Path dir = MonitoringFiles.freshDir("mixin-config-dashboards");
        List<String> problems = new ArrayList<>();
        Set<String> uids = new TreeSet<>();
        for (Path file : Mixin.dashboards(dir, CUSTOM)) {
            JsonNode d = Dashboards.read(file);
            uids.add(d.path("uid").asText());
            JsonNode cluster = Dashboards.variable(d, "cluster");
            assertTrue(cluster != null && cluster.path("query").asText().endsWith(", k8s_cluster)"),
                    file + ": a cluster variable over k8s_cluster");
            String links = d.path("links").toString();
            assertTrue(links.contains("/d/istio-w") && links.contains("/d/istio-s"), file + ": " + links);
            for (Dashboards.Query q : Dashboards.queries(d)) {
                String where = file.getFileName() + " '" + q.panelTitle() + "'";
                if (!q.expr().contains("k8s_cluster=~\"$cluster\"")) {
                    problems.add(where + ": no cluster matcher: " + q.expr());
                }
                selectorsCarry(where, q.expr(), problems);
            }
        }
        assertEquals(Set.of("probe-a", "probe-b"), uids);
        assertEquals(List.of(), problems);
    }

    @Test
    void aSeverityOutsideCriticalWarningInfoIsRefused() throws Exception {
        Path dir = MonitoringFiles.freshDir("mixin-bad-severity");
        Exec.Result r = Mixin.tryRun(dir, "rules.jsonnet", "{ severity+: { MtlsProbeDown: 'page' } }", true);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("MtlsProbeDown: severity page"), r.output());
    }

    /** Every raw probe series carries the probe selector, every Istio series the Istio selector. */
    private static void selectorsCarry(String where, String expr, List<String> problems) {
        Matcher m = SELECTOR.matcher(expr);
        while (m.find()) {
            String wanted = m.group(1).startsWith("istio_") ? "job=\"envoy\"" : "job=\"probes\"";
            if (m.group(2) == null || !m.group(2).contains(wanted)) {
                problems.add(where + ": " + m.group() + " lacks " + wanted);
            }
        }
    }

    /** Every by/on clause keeps the cluster label (but on (): a match across everything). */
    private static void clausesCarry(String where, String expr, String cluster, List<String> problems) {
        Matcher m = CLAUSE.matcher(expr);
        while (m.find()) {
            if (!m.group(2).isBlank() && !m.group(2).startsWith(cluster + ", ") && !m.group(2).equals(cluster)) {
                problems.add(where + ": " + m.group() + " drops " + cluster);
            }
        }
    }

    private static JsonNode rule(Path rules, String name) throws Exception {
        for (JsonNode g : Mixin.groups(rules)) {
            for (JsonNode r : g.path("rules")) {
                if (name.equals(r.path("alert").asText()) || name.equals(r.path("record").asText())) {
                    return r;
                }
            }
        }
        throw new AssertionError("no rule " + name + " in " + rules);
    }

    private static Set<String> jsonFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }
}
