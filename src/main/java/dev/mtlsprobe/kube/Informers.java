package dev.mtlsprobe.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A set of informers by key, each with what RBAC must allow for it (for the warning when it does not): started
 * once, listed as {@link Listed}, stopped when no longer wanted. Watch events only call {@code onChange}; a
 * failing watch becomes one problem of {@link ApiHealth} and keeps retrying with the client's back-off.
 */
public final class Informers implements AutoCloseable {

    /** One informer and what it needs from RBAC, phrased for the warning when it is missing. */
    private static final class Watched<T extends HasMetadata> {
        final String what;
        final SharedIndexInformer<T> informer;
        volatile Throwable error;

        Watched(String what, SharedIndexInformer<T> informer) {
            this.what = what;
            this.informer = informer;
        }
    }

    private final ApiHealth health;
    private final Runnable onChange;
    private final Map<String, Watched<?>> watches = new ConcurrentHashMap<>();

    public Informers(ApiHealth health, Runnable onChange) {
        this.health = health;
        this.onChange = onChange;
    }

    /**
     * Starts an informer under {@code key} unless one runs; returns at once.
     *
     * @param what the permission it needs, e.g. "list/watch pods in namespace x"
     */
    public <T extends HasMetadata> void watch(String key, String what, Informable<T> source) {
        if (watches.containsKey(key)) {
            return;
        }
        SharedIndexInformer<T> informer = source.runnableInformer(0);
        Watched<T> w = new Watched<>(what, informer);
        informer.exceptionHandler((started, t) -> {
            w.error = t;
            health.fail(key, ApiHealth.classify(what, t));
            return true; // keep trying with back-off: the API or the permission may come back
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                onChange.run();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.run();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onChange.run();
            }
        });
        watches.put(key, w);
        informer.start().whenComplete((ok, t) -> onChange.run()); // an empty list has no events
    }

    /** What the informer under {@code key} holds: pending until it has listed (or when there is none). */
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Listed<List<T>> listed(String key) {
        Watched<T> w = (Watched<T>) watches.get(key);
        return w == null || !w.informer.hasSynced() ? Listed.pending() : Listed.of(w.informer.getStore().list());
    }

    /** Stops the informers whose key starts with {@code prefix} and is not in {@code wanted}. */
    public void keep(String prefix, Set<String> wanted) {
        Set<String> keep = new HashSet<>(wanted);
        for (var it = watches.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().startsWith(prefix) && !keep.contains(e.getKey())) {
                e.getValue().informer.stop();
                it.remove();
                health.ok(e.getKey());
            }
        }
    }

    /** Turns the watches' state into health: a watching informer is fine, a failed one is a problem. */
    public void checkHealth() {
        watches.forEach((key, w) -> {
            if (w.informer.isWatching()) {
                w.error = null;
                health.ok(key);
            } else if (w.error != null) {
                health.fail(key, ApiHealth.classify(w.what, w.error));
            }
        });
    }

    @Override
    public void close() {
        watches.values().forEach(w -> w.informer.stop());
        watches.clear();
    }
}
