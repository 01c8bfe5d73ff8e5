package dev.mtlsprobe.sweep;

import io.fabric8.kubernetes.client.KubernetesClient;

/** Workloads in a (mock) API server as the control plane would show them to the sweep. */
final class Workloads {

    private Workloads() {
    }

    /**
     * A Service (port {@code port}, named {@code portName}) in front of one pod {@code <name>-1} listening on the
     * loopback server's port, and the EndpointSlice the control plane would write for it.
     */
    static void create(KubernetesClient client, String ns, String name, String portName, int port, int target,
            boolean sidecar, String annotations) {
        client.resource("""
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s}
                spec:
                  selector: {app: %1$s}
                  ports: [{name: %2$s, port: %3$d, targetPort: %4$d}]
                """.formatted(name, portName, port, target)).inNamespace(ns).create();
        client.resource("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %1$s-1
                  labels: {app: %1$s%2$s}
                  annotations: %3$s
                spec:
                  containers: [{name: app, image: app, ports: [{containerPort: %4$d}]}%5$s]
                """.formatted(name, sidecar ? "" : ", sidecar.istio.io/inject: \"false\"",
                sidecar ? annotations.replace("{", "{sidecar.istio.io/status: '{}', ").replace(", }", "}")
                        : annotations, target, sidecar ? ", {name: istio-proxy, image: proxyv2}" : ""))
                .inNamespace(ns).create();
        client.resource("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %1$s-abcde
                  labels: {kubernetes.io/service-name: %1$s}
                addressType: IPv4
                ports: [{name: %2$s, port: %3$d, protocol: TCP}]
                endpoints:
                  - addresses: [127.0.0.1]
                    conditions: {ready: true}
                    targetRef: {kind: Pod, name: %1$s-1, namespace: %4$s}
                """.formatted(name, portName, target, ns)).inNamespace(ns).create();
    }
}
