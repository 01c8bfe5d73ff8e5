package dev.mtlsprobe.role;

import dev.mtlsprobe.config.InvalidConfigException;
import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Detects the role from what the pod really is, never from its name: the downward-API annotations
 * (Istio's injector writes {@code sidecar.istio.io/status}), else the own pod read from the Kubernetes API
 * (its containers and annotations), else the configured role outside a pod.
 */
public final class RoleDetector {

    public static final String STATUS_ANNOTATION = "sidecar.istio.io/status";
    public static final String INJECT_LABEL = "sidecar.istio.io/inject";

    private RoleDetector() {
    }

    /** What the Kubernetes API says about the own pod: the role its spec shows, and its labels. */
    public record ApiPod(Role role, Map<String, String> labels) {
    }

    public static RoleState detect(ProbeSettings settings) {
        return detect(settings, Optional::empty);
    }

    /** @param apiPod asked only when there is no downward-API annotations file */
    public static RoleState detect(ProbeSettings settings, Supplier<Optional<ApiPod>> apiPod) {
        Optional<Map<String, String>> annotations = read(settings.annotationsFile().toString(), settings);
        Optional<Map<String, String>> labels = read(settings.labelsFile().toString(), settings);
        Role role;
        String source;
        Optional<ApiPod> pod = annotations.isPresent() ? Optional.empty() : apiPod.get();
        if (annotations.isPresent()) {
            role = annotations.get().containsKey(STATUS_ANNOTATION) ? Role.SIDECAR : Role.NAKED;
            source = "downward-api";
        } else if (pod.isPresent()) {
            role = pod.get().role();
            source = "pod-spec";
            if (labels.isEmpty()) {
                labels = Optional.of(pod.get().labels());
            }
        } else if (settings.role().role().isPresent()) {
            role = settings.role().role().get();
            source = "config";
        } else {
            throw new InvalidConfigException("mtls-probe.role", "auto",
                    "cannot detect the role outside a pod (no downward-API file at " + settings.annotationsFile()
                            + "); set mtls-probe.role (env MTLS_PROBE_ROLE) to sidecar or naked");
        }
        return intent(role, source, labels, settings);
    }

    /** Intended role: the pod's inject label, else the configured role, else what was detected. */
    static RoleState intent(Role role, String source, Optional<Map<String, String>> labels, ProbeSettings settings) {
        Optional<String> inject = labels.map(l -> l.get(INJECT_LABEL));
        if (inject.isPresent()) {
            Role intended = "false".equalsIgnoreCase(inject.get().trim()) ? Role.NAKED : Role.SIDECAR;
            return new RoleState(role, source, intended, "label", hint(role, intended));
        }
        if (settings.role().role().isPresent()) {
            Role intended = settings.role().role().get();
            return new RoleState(role, source, intended, "config", hint(role, intended));
        }
        return new RoleState(role, source, role, "detected", "");
    }

    private static String hint(Role role, Role intended) {
        if (role == intended) {
            return "";
        }
        return intended == Role.NAKED
                ? "the pod got a sidecar anyway; set the pod label sidecar.istio.io/inject=\"false\" and restart it"
                : "the pod has no sidecar; label the namespace istio-injection=enabled (or remove "
                        + "sidecar.istio.io/inject=\"false\") and restart it";
    }

    private static Optional<Map<String, String>> read(String path, ProbeSettings settings) {
        try {
            return PodInfoFile.read(java.nio.file.Path.of(path));
        } catch (IOException e) {
            throw new InvalidConfigException("mtls-probe.podinfo", path,
                    "the downward-API file cannot be read (" + e.getMessage() + "); fix the volume mount or the path");
        }
    }
}
