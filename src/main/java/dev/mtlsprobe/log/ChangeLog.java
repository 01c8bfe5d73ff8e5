package dev.mtlsprobe.log;

import dev.mtlsprobe.model.Verdict;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.AttemptListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** One log line when a cell's outcome or verdict changes, never one per attempt; a fail is a warning. */
@ApplicationScoped
public class ChangeLog implements AttemptListener {

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe");

    @Override
    public void onAttempt(Attempt a) {
        if (!a.changed()) {
            return;
        }
        String line = String.format("target %s (%s): %s, verdict %s%s: %s", a.target().name(), a.role().label(),
                a.result().outcome().label(), a.verdict().label(),
                a.previousOutcome() == null ? "" : " (was " + a.previousOutcome().label() + ")", a.reason());
        if (a.verdict() == Verdict.FAIL) {
            LOG.warn(line);
        } else {
            LOG.info(line);
        }
    }
}
