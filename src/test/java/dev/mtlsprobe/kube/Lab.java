package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** Seeds a (mock) API server with the objects of the lab: namespaces, Services, pods, PeerAuthentications. */
public final class Lab {

    static final String CRD = "peerauthentications.security.istio.io";

    private final KubernetesClient client;

    public Lab(KubernetesClient client) {
        this.client = client;
    }

    /** Serves PeerAuthentications at exactly one version, as an API server with Istio's CRD at that version. */
    public Lab peerAuthenticationApi(String version) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        if (crds.withName(CRD).get() != null) {
            crds.withName(CRD).delete();
        }
        CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata().withName(CRD)
                .endMetadata().withNewSpec().withGroup("security.istio.io").withScope("Namespaced").withNewNames()
                .withKind("PeerAuthentication").withPlural("peerauthentications").withSingular("peerauthentication")
                .withListKind("PeerAuthenticationList").endNames().addNewVersion().withName(version).withServed(true)
                .withStorage(true).endVersion().endSpec().build();
        crds.resource(crd).create();
        return this;
    }

    public Lab namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).createOr(n -> n.update());
        return this;
    }

    /** A Service whose port {@code port} leads to the container port named {@code http}. */
    Lab service(String namespace, String name, Map<String, String> selector, int port) {
        client.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withSelector(selector).addNewPort().withName("http").withPort(port)
                .withTargetPort(new IntOrString("http")).endPort().endSpec().build()).create();
        return this;
    }

    /** A workload pod with a sidecar, listening on {@code containerPort} under the name {@code http}. */
    Lab workload(String namespace, String name, Map<String, String> labels, int containerPort) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(labels).addToAnnotations("sidecar.istio.io/status", "{}").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withImage("httpbin").addNewPort().withName("http")
                .withContainerPort(containerPort).endPort().endContainer().addNewContainer().withName("istio-proxy")
                .withImage("proxyv2").endContainer().endSpec().build()).create();
        return this;
    }

    Lab pod(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
        return this;
    }

    public Lab peerAuthentication(GenericKubernetesResource pa) {
        String version = pa.getApiVersion().substring(pa.getApiVersion().indexOf('/') + 1);
        client.genericKubernetesResources(context(version)).inNamespace(pa.getMetadata().getNamespace()).resource(pa)
                .create();
        return this;
    }

    static ResourceDefinitionContext context(String version) {
        return new ResourceDefinitionContext.Builder().withGroup("security.istio.io").withVersion(version)
                .withPlural("peerauthentications").withKind("PeerAuthentication").withNamespaced(true).build();
    }

    /** The lab of the README: team-app with injection, httpbin-svc in front of app=httpbin, a STRICT policy. */
    static void seedTeamApp(KubernetesClient client) {
        new Lab(client).peerAuthenticationApi("v1")
                .namespace("team-app", Map.of("istio-injection", "enabled"))
                .service("team-app", "httpbin-svc", Map.of("app", "httpbin"), 8000)
                .workload("team-app", "httpbin-5d7f9c-abcde", Map.of("app", "httpbin", "version", "v1"), 8080)
                .peerAuthentication(Policies.resource("v1", "team-app", "mutual-tls-auth", null, null, "STRICT",
                        null));
    }
}
