package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * What is wrong with the Kubernetes API right now, per source (a call or a watch), so that each problem is
 * logged once when it starts and once when it ends, never once per retry.
 */
public final class ApiHealth {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    public enum Kind { UNREACHABLE, FORBIDDEN, ERROR }

    /** @param what the call or watch, phrased as the permission it needs, e.g. "list/watch pods in namespace x" */
    public record Problem(Kind kind, String what, String detail) {
        String sentence() {
            return switch (kind) {
                case UNREACHABLE -> "Kubernetes API unreachable (" + detail + ")";
                case FORBIDDEN -> "Kubernetes API forbidden (" + detail + "): the probe's service account may not "
                        + what + "; grant it (docs/kubernetes.md#rbac)";
                case ERROR -> "Kubernetes API error on " + what + " (" + detail + ")";
            };
        }
    }

    private final Map<String, Problem> problems = new TreeMap<>();
    private final AtomicInteger up = new AtomicInteger();

    public static Problem classify(String what, Throwable t) {
        KubernetesClientException k = null;
        for (Throwable c = t; c != null && k == null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof KubernetesClientException e && e.getCode() > 0) {
                k = e;
            }
        }
        for (Throwable c = t; k == null && c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof LinkageError || c instanceof ClassNotFoundException) {
                return new Problem(Kind.ERROR, what, "the packaged Kubernetes client lacks a class it needs ("
                        + firstLine(String.valueOf(c.getMessage())) + "): a packaging bug, please report it");
            }
        }
        if (k == null) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new Problem(Kind.UNREACHABLE, what, root.getClass().getSimpleName()
                    + (root.getMessage() == null ? "" : ": " + firstLine(root.getMessage())));
        }
        if (k.getCode() == 403) {
            return new Problem(Kind.FORBIDDEN, what, "HTTP 403");
        }
        String message = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage()
                : firstLine(String.valueOf(k.getMessage()));
        return new Problem(Kind.ERROR, what, "HTTP " + k.getCode() + ": " + message);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public synchronized void fail(String source, Problem p) {
        boolean wasUnreachable = unreachable(null);
        Problem before = problems.put(source, p);
        up.set(0);
        if (before != null && before.kind() == p.kind() && before.what().equals(p.what())) {
            return; // the same problem again: said already
        }
        if (p.kind() == Kind.UNREACHABLE) {
            if (!wasUnreachable) {
                LOG.warnf("%s; probing goes on, the Kubernetes metrics and status stay as they were until it is back",
                        p.sentence());
            }
        } else {
            LOG.warn(p.sentence() + "; probing goes on without it");
        }
    }

    public synchronized void ok(String source) {
        Problem p = problems.remove(source);
        if (p != null) {
            if (p.kind() == Kind.UNREACHABLE) {
                if (!unreachable(null)) {
                    LOG.info("Kubernetes API reachable again");
                }
            } else {
                LOG.infof("Kubernetes API allows %s again", p.what());
            }
        }
        up.set(problems.isEmpty() ? 1 : 0);
    }

    /** True when another source than {@code except} is unreachable. */
    private boolean unreachable(String except) {
        return problems.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(except) && e.getValue().kind() == Kind.UNREACHABLE);
    }

    public synchronized boolean up() {
        return problems.isEmpty() && up.get() == 1;
    }

    public synchronized java.util.List<String> problems() {
        return problems.values().stream().map(Problem::sentence).distinct().toList();
    }
}
