package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtlsprobe.config.ProbeSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Queries over a rendered kustomization. */
final class Manifests {

    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";
    static final String INJECT_LABEL = "sidecar.istio.io/inject";

    private Manifests() {
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<GenericKubernetesResource> ofKind(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }

    static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type, String name) {
        List<T> found = ofType(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "exactly one " + type.getSimpleName() + " named " + name);
        return found.get(0);
    }

    static GenericKubernetesResource oneOfKind(List<HasMetadata> objects, String kind, String name) {
        List<GenericKubernetesResource> found = ofKind(objects, kind).stream()
                .filter(o -> name.equals(o.getMetadata().getName())).toList();
        assertEquals(1, found.size(), "exactly one " + kind + " named " + name);
        return found.get(0);
    }

    /** The two probe Deployments, by the component label. */
    static Deployment probe(List<HasMetadata> objects, String component) {
        List<Deployment> found = ofType(objects, Deployment.class).stream()
                .filter(d -> "mtls-probe".equals(label(d, NAME_LABEL)) && component.equals(label(d, COMPONENT_LABEL)))
                .toList();
        assertEquals(1, found.size(), "exactly one mtls-probe Deployment with component " + component);
        return found.get(0);
    }

    static String label(HasMetadata o, String key) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** Pod templates of every workload kind that has one, with a name for messages. */
    static Stream<Map.Entry<String, PodTemplateSpec>> podTemplates(List<HasMetadata> objects) {
        return objects.stream().flatMap(o -> {
            PodTemplateSpec t = null;
            if (o instanceof Deployment d) {
                t = d.getSpec().getTemplate();
            } else if (o instanceof StatefulSet s) {
                t = s.getSpec().getTemplate();
            } else if (o instanceof DaemonSet ds) {
                t = ds.getSpec().getTemplate();
            } else if (o instanceof Job j) {
                t = j.getSpec().getTemplate();
            }
            return t == null ? Stream.empty() : Stream.of(Map.entry(o.getKind() + "/" + o.getMetadata().getName(), t));
        });
    }

    static Stream<Container> allContainers(PodTemplateSpec t) {
        return Stream.concat(t.getSpec().getContainers().stream(),
                Optional.ofNullable(t.getSpec().getInitContainers()).orElse(List.of()).stream());
    }

    static Map<String, String> configMapData(List<HasMetadata> objects, String name) {
        return one(objects, ConfigMap.class, name).getData();
    }

    static ObjectNode tree(Object o) {
        return (ObjectNode) Serialization.jsonMapper().valueToTree(o);
    }

    static JsonNode spec(GenericKubernetesResource r) {
        return Serialization.jsonMapper().valueToTree(r.getAdditionalProperties().get("spec"));
    }

    /** JSON pointers where two trees differ, with both values (a is the sidecar side, b the naked one). */
    static void differences(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a != null && b != null && a.isContainerNode() && b.isContainerNode() && a.getNodeType() == b.getNodeType()) {
            Set<String> keys = new TreeSet<>();
            if (a.isObject()) {
                a.fieldNames().forEachRemaining(keys::add);
                b.fieldNames().forEachRemaining(keys::add);
            } else {
                for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                    keys.add(String.valueOf(i));
                }
            }
            for (String k : keys) {
                JsonNode x = a.isObject() ? a.get(k) : a.get(Integer.parseInt(k));
                JsonNode y = b.isObject() ? b.get(k) : b.get(Integer.parseInt(k));
                differences(x, y, path + "/" + k, out);
            }
        } else if (!Objects.equals(a, b)) {
            out.add(path + ": sidecar " + a + " vs naked " + b);
        }
    }

    /** The downward-API volume's files land exactly where the engine reads them by default. */
    static void downwardApiFiles(String where, List<Volume> volumes, List<VolumeMount> mounts) {
        Volume podinfo = volumes.stream().filter(v -> v.getDownwardAPI() != null).findFirst().orElseThrow();
        VolumeMount mount = mounts.stream().filter(m -> m.getName().equals(podinfo.getName())).findFirst().orElseThrow();
        Map<String, String> files = new HashMap<>();
        for (DownwardAPIVolumeFile f : podinfo.getDownwardAPI().getItems()) {
            files.put(Path.of(mount.getMountPath()).resolve(f.getPath()).toString(), f.getFieldRef().getFieldPath());
        }
        assertEquals(Map.of(ProbeSettings.LABELS_FILE, "metadata.labels", ProbeSettings.ANNOTATIONS_FILE,
                "metadata.annotations"), files, where + ": downward-API files");
    }
}
