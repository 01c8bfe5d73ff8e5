package dev.mtlsprobe.status;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import java.util.ArrayList;
import java.util.List;

/** The state of one (role, target) cell: the latest attempt, a short ring of recent ones and the hour's timeline. */
final class Cell {

    static final int HISTORY = 20;

    final TargetSpec target;
    final Role role;
    private final AttemptRecord[] ring = new AttemptRecord[HISTORY];
    private final Timeline timeline = new Timeline();
    private int newest = -1;
    private int size;
    private long verdictSince;
    private long lastPass;
    private String clientId;
    private String serverId;

    Cell(TargetSpec target, Role role) {
        this.target = target;
        this.role = role;
    }

    synchronized AttemptRecord latest() {
        return newest < 0 ? null : ring[newest];
    }

    /** @return the previous attempt, or null for the first one */
    synchronized AttemptRecord add(AttemptRecord a) {
        AttemptRecord previous = newest < 0 ? null : ring[newest];
        newest = (newest + 1) % HISTORY;
        ring[newest] = a;
        size = Math.min(HISTORY, size + 1);
        if (previous == null || !previous.verdict().equals(a.verdict())) {
            verdictSince = a.startedAtMillis();
        }
        if (a.verdict().equals("pass")) {
            lastPass = a.startedAtMillis();
        }
        if (a.clientId() != null) {
            clientId = a.clientId();
            serverId = a.serverId();
        }
        timeline.add(a.startedAtMillis(), a.verdict(), previous != null && !previous.outcome().equals(a.outcome()));
        return previous;
    }

    synchronized CellView view(int history, boolean withTimeline, long nowMillis) {
        AttemptRecord latest = latest();
        List<AttemptRecord> recent = null;
        if (history > 0) {
            recent = new ArrayList<>(Math.min(history, size));
            for (int i = 0; i < Math.min(history, size); i++) {
                recent.add(ring[Math.floorMod(newest - i, HISTORY)]);
            }
        }
        return new CellView(target.name(), target.url(), role.label(), target.echo(), latest,
                latest == null ? null : verdictSince, latest == null ? null : lastPass, clientId, serverId, recent,
                withTimeline ? timeline.render(nowMillis) : null);
    }
}
