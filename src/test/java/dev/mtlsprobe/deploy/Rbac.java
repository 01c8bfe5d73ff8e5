package dev.mtlsprobe.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** What a service account may do, computed from rendered bindings the way the API server does. */
final class Rbac {

    private Rbac() {
    }

    /**
     * @return sorted "namespace apiGroup/resource verb" lines, with " [name, ...]" where the rule names its objects
     *         (resourceNames); namespace "*" for cluster-wide grants
     */
    static List<String> grants(List<HasMetadata> objects, String saNamespace, String saName) {
        TreeSet<String> out = new TreeSet<>();
        for (RoleBinding b : Manifests.ofType(objects, RoleBinding.class)) {
            if (bindsTo(b.getSubjects(), saNamespace, saName)) {
                String ns = b.getMetadata().getNamespace();
                rules(objects, b.getRoleRef(), ns).forEach(r -> add(out, ns, r));
            }
        }
        for (ClusterRoleBinding b : Manifests.ofType(objects, ClusterRoleBinding.class)) {
            if (bindsTo(b.getSubjects(), saNamespace, saName)) {
                rules(objects, b.getRoleRef(), null).forEach(r -> add(out, "*", r));
            }
        }
        return List.copyOf(out);
    }

    private static boolean bindsTo(List<Subject> subjects, String ns, String name) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(name)
                && ns.equals(s.getNamespace()));
    }

    private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref, String bindingNamespace) {
        if (ref.getKind().equals("ClusterRole")) {
            return Manifests.ofType(objects, ClusterRole.class).stream()
                    .filter(r -> r.getMetadata().getName().equals(ref.getName()))
                    .flatMap(r -> r.getRules().stream()).toList();
        }
        return Manifests.ofType(objects, Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(ref.getName())
                        && Objects.equals(r.getMetadata().getNamespace(), bindingNamespace))
                .flatMap(r -> r.getRules().stream()).toList();
    }

    private static void add(TreeSet<String> out, String ns, PolicyRule r) {
        for (String group : r.getApiGroups()) {
            for (String resource : r.getResources()) {
                for (String verb : r.getVerbs()) {
                    List<String> names = r.getResourceNames();
                    out.add(ns + " " + group + "/" + resource + " " + verb
                            + (names == null || names.isEmpty() ? "" : " " + new TreeSet<>(names)));
                }
            }
        }
    }
}
