package dev.mtlsprobe.probe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Puts a deadline on name resolution. The system resolver cannot be interrupted (a slow DNS server holds
 * {@code getaddrinfo} for its own timeouts, 5 s and more), so lookups run on threads of their own and the attempt
 * waits only until its deadline. One lookup per host name is in flight at a time: attempts for the same name
 * share it, so a hung DNS server costs one thread per name, not one per attempt.
 */
public final class BoundedResolver {

    /** The lookup did not finish by the deadline. */
    public static final class TimedOut extends Exception {
        TimedOut() {
            super(null, null, false, false);
        }
    }

    private final Resolver delegate;
    private final Map<String, CompletableFuture<InetAddress>> inFlight = new ConcurrentHashMap<>();
    private final Executor lookups;

    public BoundedResolver(Resolver delegate) {
        this.delegate = delegate;
        AtomicInteger n = new AtomicInteger();
        // Grows with the number of names being looked up at once and shrinks when idle.
        this.lookups = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(null, r, "mtls-probe-dns-" + n.incrementAndGet(), 256 * 1024);
                    t.setDaemon(true);
                    return t;
                });
    }

    public InetAddress resolve(String host, Deadline deadline) throws UnknownHostException, TimedOut {
        if (Literals.isAddress(host)) {
            return delegate.resolve(host); // a literal needs no lookup and cannot hang
        }
        CompletableFuture<InetAddress> lookup = inFlight.computeIfAbsent(host, h -> {
            CompletableFuture<InetAddress> f = new CompletableFuture<>();
            lookups.execute(() -> {
                try {
                    f.complete(delegate.resolve(h));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                } finally {
                    inFlight.remove(h, f);
                }
            });
            return f;
        });
        try {
            return lookup.get(Math.max(0, deadline.nanosLeft()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TimedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimedOut();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException u) {
                throw u;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** IP literals, which {@link InetAddress#getByName} parses without a query. */
    static final class Literals {
        private Literals() {
        }

        static boolean isAddress(String host) {
            if (host.indexOf(':') >= 0) {
                return true; // IPv6 (brackets are stripped by the configuration)
            }
            int dots = 0;
            for (int i = 0; i < host.length(); i++) {
                char c = host.charAt(i);
                if (c == '.') {
                    dots++;
                } else if (c < '0' || c > '9') {
                    return false;
                }
            }
            return dots == 3;
        }
    }
}
