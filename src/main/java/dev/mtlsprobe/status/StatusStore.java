package dev.mtlsprobe.status;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.probe.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The state of every (role, target) cell, in memory; what {@code /api/status} and readiness read. */
@ApplicationScoped
public class StatusStore {

    public static final int HISTORY = Cell.HISTORY;

    private final Map<String, Cell> cells = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** Makes a target visible (with no attempt yet) so readiness can wait for it. */
    public void register(Role role, TargetSpec target) {
        cells.computeIfAbsent(key(role, target.name()), k -> new Cell(target, role));
        version.incrementAndGet();
    }

    /** @return the previous attempt, or null for the first one */
    public AttemptRecord record(Role role, TargetSpec target, AttemptRecord attempt) {
        AttemptRecord previous = cell(role, target).add(attempt);
        version.incrementAndGet();
        return previous;
    }

    /** The previous attempt of a cell, so that a new record can share its unchanged strings. */
    public AttemptRecord latest(Role role, TargetSpec target) {
        return cell(role, target).latest();
    }

    /** Grows with every change; a client that saw this version has nothing new to fetch. */
    public long version() {
        return version.get();
    }

    /** True once every registered target has had at least one attempt. */
    public boolean allAttempted() {
        return !cells.isEmpty() && cells.values().stream().allMatch(c -> c.latest() != null);
    }

    /** @param history how many recent attempts (and the timeline) to include per cell, 0 for none */
    public List<CellView> view(int history) {
        int n = Math.max(0, Math.min(HISTORY, history));
        long now = System.currentTimeMillis();
        List<CellView> out = new ArrayList<>(cells.size());
        for (Cell c : cells.values()) {
            out.add(c.view(n, now));
        }
        out.sort(Comparator.comparing(CellView::role).thenComparing(CellView::target));
        return out;
    }

    private Cell cell(Role role, TargetSpec target) {
        return cells.computeIfAbsent(key(role, target.name()), k -> new Cell(target, role));
    }

    private static String key(Role role, String target) {
        return role.label() + "/" + target;
    }
}
