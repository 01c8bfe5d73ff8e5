package dev.mtlsprobe.health;

import dev.mtlsprobe.pipeline.AttemptPipeline;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the probe timer ticks and no attempt is stuck; a restart is the cure for either. */
@Liveness
public class ProbeLoopLivenessCheck implements HealthCheck {

    private final AttemptPipeline pipeline;

    public ProbeLoopLivenessCheck(AttemptPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> problem = pipeline.problem();
        var builder = HealthCheckResponse.named("probe-loop").status(problem.isEmpty());
        problem.ifPresent(p -> builder.withData("problem", p));
        return builder.build();
    }
}
