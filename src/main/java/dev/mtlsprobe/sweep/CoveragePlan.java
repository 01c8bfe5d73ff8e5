package dev.mtlsprobe.sweep;

import dev.mtlsprobe.probe.Greeting;
import java.util.List;

/**
 * What one round of the sweep checks: every covered service port with its ready endpoints (within the caps) and
 * each endpoint's expectation, and what the caps left out.
 *
 * @param skippedServicePorts service ports beyond {@code max-service-ports}
 * @param skippedEndpoints    ready endpoints beyond {@code max-endpoints-per-port}, over all ports
 * @param waiting             what the API has not listed yet, one sentence each (those namespaces are not planned)
 */
public record CoveragePlan(List<PortPlan> ports, int skippedServicePorts, int skippedEndpoints,
        List<String> waiting) {

    public CoveragePlan {
        ports = List.copyOf(ports);
        waiting = List.copyOf(waiting);
    }

    static CoveragePlan empty(String why) {
        return new CoveragePlan(List.of(), 0, 0, List.of(why));
    }

    /** How many checks a round makes. */
    int checks() {
        return ports.stream().mapToInt(p -> p.endpoints().size()).sum();
    }

    /**
     * One port of one Service.
     *
     * @param port           the Service port (the metrics' {@code port} label)
     * @param readyEndpoints ready endpoints of the port, before the cap
     * @param endpoints      those checked, at most {@code max-endpoints-per-port}, the ones nothing protects first
     */
    public record PortPlan(String namespace, String service, int port, String portName, Greeting greeting,
            int readyEndpoints, List<EndpointPlan> endpoints) {

        public PortPlan {
            endpoints = List.copyOf(endpoints);
        }

        public String key() {
            return namespace + "/" + service + ":" + port;
        }
    }

    /**
     * One ready endpoint of a port.
     *
     * @param pod        the pod behind it, or null when the endpoint names none
     * @param targetPort the container port the check connects to
     */
    public record EndpointPlan(String pod, String address, int targetPort, Expectation expectation) {

        /** Unique within a port. */
        public String key() {
            return address + ":" + targetPort;
        }
    }
}
