package dev.mtlsprobe.pipeline;

import dev.mtlsprobe.config.ProbeSettings;
import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Judgement;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.model.Verdict;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The attempt pipeline: the loop runs the prober, the verdict is judged once, and the typed {@link Attempt} fans
 * out to every {@link AttemptListener} (metrics, status, change log).
 */
@ApplicationScoped
public class AttemptPipeline implements ProbeLoop.Sink {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    /** The previous outcome and verdict of a cell, so that listeners can tell a change without comparing. */
    private record Last(Outcome outcome, Verdict verdict) {
    }

    private final List<AttemptListener> listeners;
    private final Map<String, Last> last = new ConcurrentHashMap<>();
    private volatile ProbeLoop loop;

    public AttemptPipeline(@All List<AttemptListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** Prepares every cell with every listener, then starts the schedules. */
    public synchronized void start(ProbeSettings settings, List<Lane> lanes) {
        for (Lane lane : lanes) {
            for (TargetSpec target : settings.targets()) {
                listeners.forEach(l -> l.prepare(lane.role(), target));
            }
        }
        loop = new ProbeLoop(settings.interval(), lanes, settings.targets(), this, settings.maxConcurrentAttempts());
        loop.start();
    }

    @Override
    public void accept(Lane lane, TargetSpec target, AttemptResult result) {
        Judgement judgement = Verdicts.judge(lane.role(), result, target, lane.sidecarReady().getAsBoolean());
        Last previous = last.put(key(lane.role(), target), new Last(result.outcome(), judgement.verdict()));
        Attempt attempt = new Attempt(lane.role(), target, result, judgement,
                previous == null ? null : previous.outcome(), previous == null ? null : previous.verdict());
        for (AttemptListener l : listeners) {
            try {
                l.onAttempt(attempt);
            } catch (RuntimeException e) { // one broken listener must not silence the others
                LOG.errorf(e, "recording the attempt for target %s failed in %s", target.name(),
                        l.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void skipped(Lane lane, TargetSpec target) {
        listeners.forEach(l -> l.onSkipped(lane.role(), target));
    }

    /** Empty when probing is healthy; see {@link ProbeLoop#problem()}. */
    public Optional<String> problem() {
        ProbeLoop l = loop;
        return l == null ? Optional.of("the probe loop has not started") : l.problem();
    }

    void onStop(@Observes ShutdownEvent event) {
        ProbeLoop l = loop;
        if (l != null) {
            l.close();
        }
    }

    private static String key(Role role, TargetSpec target) {
        return role.label() + "/" + target.name();
    }
}
