package dev.mtlsprobe.kube;

import java.util.HashMap;
import java.util.Map;

/** Configuration of a probe that talks to the test's mock API server, as its own pod would be configured. */
final class KubeTestConfig {

    private KubeTestConfig() {
    }

    static Map<String, String> kube(String namespace, String pod, Map<String, String> more) {
        Map<String, String> c = new HashMap<>();
        // %test turns the Kubernetes features off for every other test; these tests have an API server
        c.put("mtls-probe.kubernetes.enabled", "true");
        c.put("%test.mtls-probe.kubernetes.enabled", "true");
        c.put("mtls-probe.kubernetes.pod-namespace", namespace);
        c.put("mtls-probe.kubernetes.pod-name", pod);
        c.put("mtls-probe.kubernetes.cluster-domain", "lab.invalid");
        c.put("mtls-probe.kubernetes.check-interval", "500ms");
        c.put("mtls-probe.role", "auto");
        // no downward-API files: the role must come from the pod spec
        c.put("mtls-probe.podinfo.annotations", "/nonexistent/podinfo/annotations");
        c.put("mtls-probe.podinfo.labels", "/nonexistent/podinfo/labels");
        c.put("mtls-probe.interval", "1s");
        c.put("mtls-probe.timeout", "500ms");
        // one pod without its pair: no peer to fetch (it would be looked for at mtls-probe-<role>.<namespace>.svc)
        c.put("mtls-probe.peer.enabled", "false");
        c.putAll(more);
        return c;
    }
}
