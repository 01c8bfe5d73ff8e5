package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every kustomization under k8s/ and grafana/ renders, and what it renders is safe to apply. */
class RenderedManifestsTest {

    private static final Set<String> READ_ONLY = Set.of("get", "list", "watch");
    // [registry[:port]/]repository[:tag][@digest]
    private static final Pattern IMAGE = Pattern.compile("^(?<repo>[^@]+?)(?::(?<tag>[\\w][\\w.-]{0,127}))?(?:@(?<digest>sha256:[0-9a-f]{64}))?$");

    @Test
    void thereIsSomethingToRender() throws Exception {
        Kustomize.kubectl();
        List<String> dirs = Kustomize.kustomizations().stream().map(Kustomize::display).toList();
        assertTrue(dirs.containsAll(List.of("k8s/base", "k8s/overlays/lab", "k8s/overlays/existing", "k8s/monitoring", "grafana")), dirs.toString());
    }

    @TestFactory
    Stream<DynamicContainer> everyKustomization() throws Exception {
        Kustomize.kubectl();
        return Kustomize.kustomizations().stream().map(dir -> DynamicContainer.dynamicContainer(Kustomize.display(dir),
                Stream.of(
                        DynamicTest.dynamicTest("renders", () -> assertFalse(Kustomize.render(dir).isEmpty())),
                        DynamicTest.dynamicTest("every image has a pinned tag", () -> imagesPinned(Kustomize.render(dir))),
                        DynamicTest.dynamicTest("RBAC is get/list/watch without wildcards",
                                () -> rbacReadOnly(Kustomize.render(dir))),
                        DynamicTest.dynamicTest("pods meet Pod Security restricted",
                                () -> restricted(Kustomize.render(dir))))));
    }

    static void imagesPinned(List<HasMetadata> objects) {
        Manifests.podTemplates(objects).forEach(e -> Manifests.allContainers(e.getValue()).forEach(c -> {
            String where = e.getKey() + " container " + c.getName();
            assertPinned(c.getImage(), where);
        }));
    }

    static void assertPinned(String image, String where) {
        assertNotNull(image, where + ": no image");
        // The tag is what follows the last ':' after the last '/', so a registry port is not a tag.
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        Matcher m = IMAGE.matcher(last);
        assertTrue(m.matches(), where + ": unparsable image " + image);
        String tag = m.group("tag");
        String digest = m.group("digest");
        assertTrue(tag != null || digest != null, where + ": image " + image + " has no tag; pin one");
        if (tag != null) {
            assertNotEquals("latest", tag, where + ": image " + image + " uses latest; pin a version");
        }
    }

    static void rbacReadOnly(List<HasMetadata> objects) {
        List<PolicyRule> rules = new ArrayList<>();
        Manifests.ofType(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
        Manifests.ofType(objects, ClusterRole.class).forEach(r -> {
            assertEquals(null, r.getAggregationRule(), "ClusterRole " + r.getMetadata().getName()
                    + ": aggregation would pull in rules not visible here");
            rules.addAll(r.getRules());
        });
        for (PolicyRule rule : rules) {
            assertTrue(READ_ONLY.containsAll(rule.getVerbs()), "verbs beyond get/list/watch: " + rule);
            for (List<String> field : List.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups(),
                    rule.getResourceNames(), rule.getNonResourceURLs())) {
                assertTrue(field.stream().noneMatch(s -> s.contains("*")), "wildcard in " + rule);
            }
            assertTrue(rule.getResources().stream().noneMatch(r -> r.equals("secrets")), "no secrets: " + rule);
        }
        // Bindings may only grant what is rendered (and checked) here, never a built-in role such as cluster-admin.
        List<RoleRef> refs = new ArrayList<>();
        Manifests.ofType(objects, RoleBinding.class).forEach(b -> refs.add(b.getRoleRef()));
        Manifests.ofType(objects, ClusterRoleBinding.class).forEach(b -> refs.add(b.getRoleRef()));
        for (RoleRef ref : refs) {
            Class<? extends HasMetadata> kind = ref.getKind().equals("Role") ? Role.class : ClusterRole.class;
            assertTrue(Manifests.ofType(objects, kind).stream().anyMatch(r -> r.getMetadata().getName().equals(ref.getName())),
                    "binding to " + ref.getKind() + " " + ref.getName() + ", which is not part of this package");
        }
    }

    static void restricted(List<HasMetadata> objects) {
        Manifests.podTemplates(objects).forEach(e -> restricted(e.getKey(), e.getValue()));
    }

    static void restricted(String name, PodTemplateSpec template) {
        PodSpec pod = template.getSpec();
        PodSecurityContext psc = Optional.ofNullable(pod.getSecurityContext()).orElse(new PodSecurityContext());
        assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC()), name + ": host namespaces");
        assertTrue(Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream().allMatch(v -> v.getHostPath() == null),
                name + ": hostPath volume");
        Manifests.allContainers(template).forEach(c -> {
            String where = name + " container " + c.getName();
            SecurityContext sc = c.getSecurityContext();
            assertNotNull(sc, where + ": no securityContext");
            assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation must be false");
            assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem must be true");
            assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), where + ": privileged");
            Capabilities caps = sc.getCapabilities();
            assertTrue(caps != null && caps.getDrop().contains("ALL"), where + ": capabilities must drop ALL");
            assertTrue(caps.getAdd() == null || caps.getAdd().isEmpty(), where + ": capabilities added " + caps.getAdd());
            Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : psc.getRunAsNonRoot();
            assertEquals(Boolean.TRUE, nonRoot, where + ": runAsNonRoot must be true");
            Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : psc.getRunAsUser();
            assertTrue(uid == null || uid != 0, where + ": runAsUser 0");
            SeccompProfile seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : psc.getSeccompProfile();
            assertTrue(seccomp != null && seccomp.getType().equals("RuntimeDefault"),
                    where + ": seccompProfile must be RuntimeDefault");
            resources(where, c);
        });
    }

    private static void resources(String where, Container c) {
        assertNotNull(c.getResources(), where + ": no resources");
        Map<String, Quantity> requests = c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertTrue(requests != null && requests.containsKey("cpu") && requests.containsKey("memory"),
                where + ": cpu and memory requests");
        assertTrue(limits != null && limits.containsKey("memory"), where + ": a memory limit");
        for (String r : List.of("cpu", "memory")) {
            if (limits.containsKey(r)) {
                assertTrue(Quantity.getAmountInBytes(requests.get(r))
                        .compareTo(Quantity.getAmountInBytes(limits.get(r))) <= 0, where + ": " + r + " request above limit");
            }
        }
    }
}
