package dev.mtlsprobe.status;

import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.pipeline.Attempt;
import dev.mtlsprobe.pipeline.AttemptListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The state of every (role, target) cell, in memory; what {@code /api/status} and readiness read. */
@ApplicationScoped
public class StatusStore implements AttemptListener {

    public static final int HISTORY = Cell.HISTORY;

    private final Map<String, Cell> cells = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();

    /** Makes a target visible (with no attempt yet) so readiness can wait for it. */
    @Override
    public void prepare(Role role, TargetSpec target) {
        cell(role, target);
        version.incrementAndGet();
    }

    @Override
    public void onAttempt(Attempt a) {
        Cell cell = cell(a.role(), a.target());
        cell.add(AttemptRecord.of(a, cell.latest()));
        version.incrementAndGet();
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
        return view(history, history > 0);
    }

    /**
     * @param history  how many recent attempts to include per cell, 0 for none
     * @param timeline whether to include the hour's timeline (what the page draws, without the attempts)
     */
    public List<CellView> view(int history, boolean timeline) {
        int n = Math.max(0, Math.min(HISTORY, history));
        long now = System.currentTimeMillis();
        List<CellView> out = new ArrayList<>(cells.size());
        for (Cell c : cells.values()) {
            out.add(c.view(n, timeline, now));
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
