package dev.mtlsprobe.role;

import dev.mtlsprobe.model.RoleState;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The role this process has now: detected at start, published again when the Kubernetes view changes what it
 * means (Istio ambient). Metrics, status and the page read it here. Null in the demo, where both roles run.
 */
@ApplicationScoped
public class CurrentRole {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    private volatile RoleState state;
    private final AtomicLong version = new AtomicLong();

    public void publish(RoleState next) {
        state = next;
        version.incrementAndGet();
        if (next.mismatch()) {
            LOG.warnf("role mismatch: %s", next.describe());
        } else {
            LOG.infof("%s", next.describe());
        }
    }

    public RoleState get() {
        return state;
    }

    /** Grows with every publication. */
    public long version() {
        return version.get();
    }
}
