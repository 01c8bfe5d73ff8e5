package dev.mtlsprobe.monitoring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A mock Kubernetes API (fabric8's, in CRUD mode) holding the lab of k8s/overlays/lab as the probe reads it:
 * namespace team-app with injection, httpbin-svc in front of an httpbin pod with a sidecar, the namespace-wide
 * STRICT PeerAuthentication, and the naked probe's own pod. The Service's port is a local server's, so that the
 * probe really calls it.
 */
final class LabApi implements AutoCloseable {

    static final String NAKED_POD = "mtls-probe-naked-7d9f-abcde";

    private final KubernetesServer server;

    private LabApi(KubernetesServer server) {
        this.server = server;
    }

    static LabApi strictTeamApp(int httpbinPort) {
        KubernetesServer server = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        server.before();
        KubernetesClient client = server.getClient();
        client.apiextensions().v1().customResourceDefinitions().load(yaml("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: peerauthentications.security.istio.io}
                spec:
                  group: security.istio.io
                  scope: Namespaced
                  names: {kind: PeerAuthentication, plural: peerauthentications, singular: peerauthentication,
                          listKind: PeerAuthenticationList}
                  versions: [{name: v1, served: true, storage: true}]
                """)).create();
        client.namespaces().load(yaml("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: team-app, labels: {istio-injection: enabled}}
                """)).create();
        client.services().inNamespace("team-app").load(yaml("""
                apiVersion: v1
                kind: Service
                metadata: {name: httpbin-svc}
                spec:
                  selector: {app: httpbin}
                  ports: [{name: http, port: %d, targetPort: http}]
                """.formatted(httpbinPort))).create();
        client.pods().inNamespace("team-app").load(yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: httpbin-5d7f9c-abcde
                  labels: {app: httpbin}
                  annotations: {sidecar.istio.io/status: '{}'}
                spec:
                  containers:
                    - {name: httpbin, image: httpbin, ports: [{name: http, containerPort: 8080}]}
                    - {name: istio-proxy, image: proxyv2}
                """)).create();
        client.pods().inNamespace("team-app").load(yaml("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  labels: {app.kubernetes.io/name: mtls-probe, sidecar.istio.io/inject: "false"}
                spec:
                  containers: [{name: mtls-probe, image: mtls-probe}]
                """.formatted(NAKED_POD))).create();
        client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup("security.istio.io")
                .withVersion("v1").withPlural("peerauthentications").withKind("PeerAuthentication")
                .withNamespaced(true).build()).inNamespace("team-app").load(yaml("""
                        apiVersion: security.istio.io/v1
                        kind: PeerAuthentication
                        metadata: {name: mutual-tls-auth, namespace: team-app}
                        spec: {mtls: {mode: STRICT}}
                        """)).create();
        return new LabApi(server);
    }

    String url() {
        return server.getClient().getConfiguration().getMasterUrl();
    }

    private static InputStream yaml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.after();
    }
}
