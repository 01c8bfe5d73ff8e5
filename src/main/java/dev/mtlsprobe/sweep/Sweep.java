package dev.mtlsprobe.sweep;

import dev.mtlsprobe.config.Durations;
import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.config.SweepSettings;
import dev.mtlsprobe.kube.ApiHealth;
import dev.mtlsprobe.kube.KubeAwareness;
import dev.mtlsprobe.kube.Listed;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.RoleState;
import dev.mtlsprobe.role.CurrentRole;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Provider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The coverage sweep of the naked role. Opt-in, and only where it can prove something: in the naked role, with
 * the Kubernetes API; anywhere else it says once why it does not run. What it found is read here by the metrics
 * and {@code /api/coverage}.
 */
@ApplicationScoped
public class Sweep {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    // A provider: a check process observes the shutdown too, and must not build the settings for it.
    private final Provider<Settings> settings;
    private final KubeAwareness kube;
    private final Instance<KubernetesClient> clients;
    private final CurrentRole role;
    private final String version;
    private final AtomicLong changes = new AtomicLong();
    private volatile String reason = "off: not started";
    private volatile SweepSession session;

    public Sweep(Provider<Settings> settings, KubeAwareness kube, Instance<KubernetesClient> clients, CurrentRole role,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.settings = settings;
        this.kube = kube;
        this.clients = clients;
        this.role = role;
        this.version = version;
    }

    private void reason(String text) {
        reason = text;
        changes.incrementAndGet();
    }

    /** Starts sweeping when it is configured and can prove something here; says once why not otherwise. */
    public synchronized void start(RoleState detected) {
        SweepSettings s = settings.get().sweep();
        if (!s.enabled()) {
            reason("off: no namespace to sweep (mtls-probe.sweep.namespaces or mtls-probe.sweep.namespace-selector)");
            return;
        }
        if (session != null) {
            return;
        }
        Optional<ApiHealth> health = kube.health();
        if (detected.role() != Role.NAKED) {
            reason("off: the sweep sends plaintext, which only the naked role can; this pod's role is "
                    + detected.role().label());
            LOG.infof("coverage sweep configured but %s", reason.substring(5));
            return;
        }
        if (health.isEmpty()) {
            reason("off: it reads Services and EndpointSlices from the Kubernetes API, and the Kubernetes features "
                    + "are off (" + kube.access() + ")");
            LOG.warnf("coverage sweep configured but %s", reason.substring(5));
            return;
        }
        SweepSession started = new SweepSession(clients::get, health.get(), s, settings.get().kubernetes().rootNamespace(),
                settings.get().kubernetes().checkInterval(), settings.get().probe().timeout(), version, this::paused);
        started.start();
        session = started;
        reason("sweeping " + what(s) + " every " + Durations.format(s.interval()) + ", at most " + s.rate()
                + " checks/s and " + s.concurrency() + " at once");
        LOG.infof("coverage: %s", reason);
    }

    private static String what(SweepSettings s) {
        String names = s.namespaces().isEmpty() ? "" : "namespace(s) " + String.join(", ", s.namespaces());
        String selected = s.namespaceSelector().isEmpty() ? "" : "the namespaces labelled " + s.namespaceSelector();
        return names.isEmpty() ? selected : selected.isEmpty() ? names : names + " and " + selected;
    }

    /**
     * Why no round may run now, or null: a naked probe whose traffic a proxy wraps after all (a role mismatch,
     * e.g. ambient capture) sends no plaintext, and every answer would be a false finding.
     */
    private String paused() {
        RoleState now = role.get();
        return now != null && now.mismatch() ? "paused while the role is mismatched: " + now.describe() : null;
    }

    /** The sweep's state, or empty when it does not run. */
    public Optional<CoverageStore> store() {
        SweepSession s = session;
        return s == null ? Optional.empty() : Optional.of(s.store());
    }

    /** {@code /api/coverage}: every port, the findings first; endpoints of enforced ports only with {@code all}. */
    public CoverageView view(boolean all) {
        SweepSession s = session;
        Listed<List<String>> ns = s == null ? Listed.pending() : s.namespaces();
        return CoverageViews.view(version(), s != null, reason, settings.get().sweep(),
                ns.synced() ? ns.value() : settings.get().sweep().namespaces(), s == null ? null : s.store(), all,
                System.currentTimeMillis());
    }

    /**
     * Grows whenever {@link #view} changes, and every 10 s besides: checks age out of freshness without an event,
     * and a client must not keep a port looking enforced after that.
     */
    public String version() {
        SweepSession s = session;
        return (s == null ? 0 : s.store().version()) + "." + changes.get() + "." + System.currentTimeMillis() / 10_000;
    }

    void onStop(@Observes ShutdownEvent event) {
        SweepSession s;
        synchronized (this) {
            s = session;
        }
        if (s != null) {
            s.close();
        }
    }
}
