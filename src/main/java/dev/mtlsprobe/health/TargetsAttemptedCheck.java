package dev.mtlsprobe.health;

import dev.mtlsprobe.status.StatusStore;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every target has had one attempt: before that the metrics say nothing yet. */
@Readiness
public class TargetsAttemptedCheck implements HealthCheck {

    private final StatusStore store;

    public TargetsAttemptedCheck(StatusStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("targets-attempted").status(store.allAttempted()).build();
    }
}
