package dev.mtlsprobe.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code /api/coverage}: the sweep's settings and state, and every covered service port, the findings
 * first. Bounded by the caps: at most {@code maxServicePorts} ports, and endpoints (at most
 * {@code maxEndpointsPerPort} each) only for ports that are not enforced, unless all are asked for.
 *
 * @param version           grows with every change; the response's ETag
 * @param running           whether this process sweeps
 * @param reason            why it does not, or what it sweeps
 * @param namespaces        the namespaces swept now (named or selected)
 * @param round             the latest round, or null before the first
 * @param skipped           what the caps leave out of the current plan
 * @param counts            ports per state, by state label
 * @param waiting           what the Kubernetes API has not listed yet
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CoverageView(String version, long generatedAtMillis, boolean running, String reason,
        List<String> namespaces, Map<String, String> namespaceSelector, String interval, double rate, int concurrency,
        int maxServicePorts, int maxEndpointsPerPort, Round round, Skipped skipped, Map<String, Integer> counts,
        List<String> waiting, List<Port> ports) {

    /**
     * @param endedAtMillis null while it runs
     * @param planned       checks the round makes
     * @param done          checks done so far
     */
    @RegisterForReflection
    public record Round(long startedAtMillis, Long endedAtMillis, int planned, int done) {
    }

    @RegisterForReflection
    public record Skipped(int servicePorts, int endpoints) {
    }

    /**
     * One service port.
     *
     * @param expected       STRICT, PERMISSIVE, DISABLE or unknown (the weakest over its endpoints)
     * @param why            the expectation of the endpoint that decides the state, as a sentence
     * @param readyEndpoints ready endpoints, before the cap
     * @param checked        endpoints with a fresh check
     * @param plaintext      of those, endpoints that accepted plaintext
     * @param endpoints      null in the compact view for enforced ports
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Port(String namespace, String service, int port, String portName, String greeting, String state,
            String expected, String why, int readyEndpoints, int checked, int plaintext, Long lastCheckMillis,
            List<Endpoint> endpoints) {
    }

    /**
     * One checked endpoint: the pod name is here and in the log, never in a metric.
     *
     * @param protection sidecar, ambient, no-sidecar, not-captured or unknown
     * @param outcome    the latest fresh check's outcome, or null when there is none
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Endpoint(String pod, String address, int targetPort, String expected, String protection,
            String outcome, String reason, Long checkedAtMillis) {
    }
}
