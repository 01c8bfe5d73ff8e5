package dev.mtlsprobe.status;

import dev.mtlsprobe.config.TargetSpec;
import dev.mtlsprobe.probe.Role;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The latest attempts per role and target, in memory; what {@code /api/status} and readiness read. */
@ApplicationScoped
public class StatusStore {

    public static final int HISTORY = 20;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        final TargetSpec target;
        final Role role;
        final ArrayDeque<AttemptRecord> history = new ArrayDeque<>(HISTORY);
        String clientId;
        String serverId;

        Entry(TargetSpec target, Role role) {
            this.target = target;
            this.role = role;
        }
    }

    /** Makes a target visible (with no attempt yet) so readiness can wait for it. */
    public void register(Role role, TargetSpec target) {
        entries.computeIfAbsent(key(role, target.name()), k -> new Entry(target, role));
    }

    /** @return the previous attempt, or null for the first one */
    public AttemptRecord record(Role role, TargetSpec target, AttemptRecord attempt) {
        Entry e = entries.computeIfAbsent(key(role, target.name()), k -> new Entry(target, role));
        synchronized (e) {
            AttemptRecord previous = e.history.peekFirst();
            if (e.history.size() == HISTORY) {
                e.history.removeLast();
            }
            e.history.addFirst(attempt);
            if (attempt.clientId() != null) {
                e.clientId = attempt.clientId();
                e.serverId = attempt.serverId();
            }
            return previous;
        }
    }

    /** True once every registered target has had at least one attempt. */
    public boolean allAttempted() {
        return !entries.isEmpty() && entries.values().stream().allMatch(e -> {
            synchronized (e) {
                return !e.history.isEmpty();
            }
        });
    }

    public List<TargetStatus> snapshot() {
        List<TargetStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            synchronized (e) {
                List<AttemptRecord> history = List.copyOf(e.history);
                out.add(new TargetStatus(e.target.name(), e.target.url(), e.role.label(),
                        history.isEmpty() ? null : history.get(0), e.clientId, e.serverId, history));
            }
        }
        out.sort((a, b) -> a.role().equals(b.role()) ? a.target().compareTo(b.target()) : a.role().compareTo(b.role()));
        return out;
    }

    private static String key(Role role, String target) {
        return role.label() + "/" + target;
    }
}
