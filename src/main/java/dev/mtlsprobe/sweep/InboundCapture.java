package dev.mtlsprobe.sweep;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a pod's sidecar captures an inbound port, from the pod's annotations, as istio-init (or istio-cni)
 * programs the redirect: every port unless {@code includeInboundPorts} narrows it ({@code *}, the default, is
 * all; an empty value is none), minus {@code excludeInboundPorts}. A port that is not captured reaches the
 * application directly, so no PeerAuthentication applies to it, whatever the policy says.
 */
final class InboundCapture {

    static final String INCLUDE = "traffic.sidecar.istio.io/includeInboundPorts";
    static final String EXCLUDE = "traffic.sidecar.istio.io/excludeInboundPorts";

    private InboundCapture() {
    }

    /** @return why the port bypasses the sidecar, or empty when the sidecar captures it */
    static Optional<String> bypass(Map<String, String> annotations, int port) {
        String exclude = annotations.get(EXCLUDE);
        if (exclude != null && lists(exclude, port)) {
            return Optional.of("port " + port + " is listed in the pod's annotation " + EXCLUDE + "=\""
                    + shown(exclude) + "\"");
        }
        String include = annotations.get(INCLUDE);
        if (include != null && !include.trim().equals("*") && !lists(include, port)) {
            return Optional.of("the pod's annotation " + INCLUDE + "=\"" + shown(include)
                    + "\" does not list port " + port);
        }
        return Optional.empty();
    }

    private static boolean lists(String ports, int port) {
        for (String p : ports.split(",")) {
            if (p.trim().equals(String.valueOf(port))) {
                return true;
            }
        }
        return false;
    }

    private static String shown(String value) {
        return dev.mtlsprobe.model.Sanitize.text(value, 60);
    }
}
