package dev.mtlsprobe.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtlsprobe.testsupport.LocalServer;
import dev.mtlsprobe.testsupport.Prerequisites;
import dev.mtlsprobe.testsupport.ProbeJar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alert path for real: two running probes (naked, sidecar) scraped by a real Prometheus that evaluates the
 * rules of k8s/monitoring/prometheusrule.yaml and sends to a real Alertmanager running the example configuration
 * (only the webhook URLs point at this test). httpbin is played by local servers: for the naked probe a server
 * that resets the connection (what a STRICT sidecar does to plaintext) until the test switches it to an echo
 * without X-Forwarded-Client-Cert (what PERMISSIVE lets through); for the sidecar probe an echo carrying the
 * client certificate header a server sidecar adds. (The dashboards' queries: DashboardQueriesIT.)
 */
class AlertPathIT {

    static final String XFCC = "By=spiffe://cluster.local/ns/team-app/sa/httpbin;Hash=5a1e;Subject=\"\";"
            + "URI=spiffe://cluster.local/ns/team-app/sa/mtls-probe";
    static final String ENFORCED = "mtls_probe:enforced{namespace=\"team-app\", target=\"httpbin\"}";

    @Test
    void plaintextAfterTheSwitchPages() throws Exception {
        Path prometheusBin = Prerequisites.tool("prometheus", "prometheus");
        Path alertmanagerBin = Prerequisites.tool("prometheus-alertmanager", "prometheus-alertmanager");
        Path dir = MonitoringFiles.freshDir("alert-path");
        Path rules = MonitoringFiles.extractRules(dir.resolve("mtls-probe.rules.yaml"));

        try (LocalServer httpbinForNaked = new LocalServer(LocalServer.reset());
                LocalServer httpbinForSidecar = new LocalServer(LocalServer.echo(XFCC));
                LocalServer envoyReady = new LocalServer(LocalServer.respond(200, "text/plain", ""));
                ProbeJar naked = ProbeJar.launch().outsideAPod("naked", httpbinForNaked.url("/headers"),
                        envoyReady.url("/healthz/ready"), dir).startReady(java.time.Duration.ofSeconds(90));
                ProbeJar sidecar = ProbeJar.launch().outsideAPod("sidecar", httpbinForSidecar.url("/headers"),
                        envoyReady.url("/healthz/ready"), dir).startReady(java.time.Duration.ofSeconds(90));
                WebhookReceiver hook = new WebhookReceiver("pager", "team");
                AlertmanagerServer am = AlertmanagerServer.start(alertmanagerBin, dir,
                        AlertmanagerServer.exampleConfig(dir, hook, false));
                PrometheusServer prom = PrometheusServer.start(prometheusBin, dir,
                        prometheusConfig(rules, am.port, naked, sidecar))) {

            // 1. STRICT: both verdicts pass; nothing is sent, nothing fires, plaintext is not even pending.
            assertTrue(LocalHttp.await(Duration.ofSeconds(60), () -> prom.holds(ENFORCED + " == 1")),
                    "mtls_probe:enforced never became 1\n" + naked.logTail() + "\n" + sidecar.logTail() + "\n"
                            + prom.logTail());
            Thread.sleep(12_000); // longer than the pager route's group_wait (10s) plus a scrape and an evaluation
            assertEquals(List.of(), hook.received(), "a notification while everything passes");
            // A loaded machine may let one attempt time out (a pending warning); a firing alert is a failure.
            for (JsonNode a : prom.alerts()) {
                assertTrue(!"firing".equals(a.path("state").asText())
                        && !"MtlsProbePlaintextAccepted".equals(a.path("labels").path("alertname").asText()),
                        "alert while everything passes: " + a);
            }

            // 2. PERMISSIVE: the naked probe's next plaintext call succeeds.
            long switched = System.nanoTime();
            httpbinForNaked.become(LocalServer.echo(null));
            Optional<WebhookReceiver.Notification> page = hook.await(Duration.ofSeconds(60),
                    n -> n.receiver().equals("pager") && !n.alerts("MtlsProbePlaintextAccepted", "firing").isEmpty());
            if (page.isEmpty()) {
                fail("MtlsProbePlaintextAccepted never reached the pager webhook; got " + hook.received() + "\n"
                        + prom.alerts() + "\n" + am.logTail());
            }
            System.out.printf("MtlsProbePlaintextAccepted: switch to PERMISSIVE -> pager webhook delivery in %.1f s"
                    + " (scrape and evaluation every 1s, the example config's 10s group_wait)%n",
                    (page.get().receivedNanos() - switched) / 1e9);
            JsonNode alert = page.get().alerts("MtlsProbePlaintextAccepted", "firing").get(0);
            JsonNode labels = alert.path("labels");
            assertEquals("critical", labels.path("severity").asText());
            assertEquals("team-app", labels.path("namespace").asText());
            assertEquals("httpbin", labels.path("target").asText());
            assertEquals("plaintext", labels.path("outcome").asText());
            String description = alert.path("annotations").path("description").asText();
            assertTrue(description.contains("namespace team-app") && description.contains("target httpbin")
                    && description.contains("outcome plaintext"), description);
            assertTrue(alert.path("annotations").path("runbook_url").asText()
                    .endsWith("/docs/runbooks/MtlsProbePlaintextAccepted.md"), alert.path("annotations").toString());
            for (WebhookReceiver.Notification n : hook.received()) {
                for (JsonNode a : n.body().path("alerts")) {
                    assertEquals("MtlsProbePlaintextAccepted", a.path("labels").path("alertname").asText(),
                            "only the plaintext alert may fire: " + a);
                }
            }
            assertTrue(LocalHttp.await(Duration.ofSeconds(10), () -> prom.holds(ENFORCED + " == 0")),
                    "mtls_probe:enforced should drop to 0");
        }
    }

    /** Scrape and evaluate every second; namespace and pod as Kubernetes service discovery would set them. */
    private static String prometheusConfig(Path rules, int alertmanagerPort, ProbeJar naked, ProbeJar sidecar) {
        return PrometheusServer.everySecond(rules) + """
                alerting:
                  alertmanagers:
                    - api_version: v2
                      static_configs:
                        - targets: ['127.0.0.1:%d']
                scrape_configs:
                  - job_name: mtls-probe
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: team-app, pod: mtls-probe-naked-7d9f-abcde}
                      - targets: ['127.0.0.1:%d']
                        labels: {namespace: team-app, pod: mtls-probe-sidecar-5c4b-fghij}
                """.formatted(alertmanagerPort, naked.managementPort, sidecar.managementPort);
    }
}
