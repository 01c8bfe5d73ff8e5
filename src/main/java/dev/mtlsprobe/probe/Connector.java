package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Sanitize;
import dev.mtlsprobe.model.TargetSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * The first half of every attempt, whatever it speaks: resolve the host and open the one TCP connection, both
 * within the attempt's deadline, or say as an outcome why not.
 */
final class Connector {

    /** A connection, or the result that ends the attempt before one existed. */
    record Connection(Socket socket, long connectStartNanos, AttemptResult failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /** What an attempt does on its connection, ended by the deadline (the watchdog closes the socket then). */
    @FunctionalInterface
    interface Conversation {
        AttemptResult talk(Socket socket, Watchdog.Guard guard, long started, long connectStartNanos,
                Deadline deadline);
    }

    private final BoundedResolver resolver;
    private final Dialer dialer;

    Connector(Resolver resolver, Dialer dialer) {
        this.resolver = new BoundedResolver(resolver);
        this.dialer = dialer;
    }

    /** One attempt: the connection within {@code timeout}, then the conversation on it, also within it. */
    AttemptResult attempt(TargetSpec target, java.time.Duration timeout, Conversation conversation) {
        long started = System.currentTimeMillis();
        Deadline deadline = Deadline.after(timeout);
        Connection c = connect(target, deadline, started);
        if (c.failed()) {
            return c.failure();
        }
        try (Socket s = c.socket(); Watchdog.Guard guard = Watchdog.arm(s, deadline)) {
            return conversation.talk(s, guard, started, c.connectStartNanos(), deadline);
        } catch (IOException e) {
            return AttemptResult.of(Outcome.ERROR, "closing the connection failed: " + describe(e), started,
                    System.nanoTime() - c.connectStartNanos());
        }
    }

    Connection connect(TargetSpec target, Deadline deadline, long started) {
        InetAddress address;
        try {
            address = resolver.resolve(target.host(), deadline);
        } catch (UnknownHostException e) {
            return failed(AttemptResult.of(Outcome.DNS_ERROR, "host name " + Sanitize.text(target.host(), 100)
                    + " did not resolve", started, 0));
        } catch (BoundedResolver.TimedOut e) {
            return failed(AttemptResult.of(Outcome.TIMEOUT, "host name " + Sanitize.text(target.host(), 100)
                    + " did not resolve within " + deadline.budgetMillis() + " ms", started, 0));
        } catch (RuntimeException e) {
            return failed(AttemptResult.of(Outcome.ERROR, "resolving " + Sanitize.text(target.host(), 100)
                    + " failed: " + describe(e), started, 0));
        }
        long connectStart = System.nanoTime();
        try {
            return new Connection(dialer.connect(address, target, deadline.millisLeft()), connectStart, null);
        } catch (IOException | RuntimeException e) {
            return failed(refused(e, address, target, deadline, started, connectStart));
        }
    }

    private static AttemptResult refused(Exception e, InetAddress address, TargetSpec target, Deadline deadline,
            long started, long connectStart) {
        String endpoint = address.getHostAddress() + ":" + target.port();
        if (e instanceof SocketTimeoutException || deadline.expired()) {
            return AttemptResult.of(Outcome.TIMEOUT, "no TCP connection to " + endpoint + " within "
                    + deadline.budgetMillis() + " ms", started, 0);
        }
        String message = String.valueOf(e.getMessage()).toLowerCase();
        if (e instanceof ConnectException && message.contains("refused")) {
            return AttemptResult.of(Outcome.REFUSED, "connection refused by " + endpoint + ": nothing listens",
                    started, 0);
        }
        if (e instanceof NoRouteToHostException) {
            return AttemptResult.of(Outcome.ERROR, "no route to " + endpoint, started, 0);
        }
        if (e instanceof SocketException && !(e instanceof ConnectException) && message.contains("reset")
                && target.https()) {
            // As when the reset comes a moment later, during the handshake: a TLS failure, whichever wins the race.
            return AttemptResult.of(Outcome.ERROR, "TLS to the target failed: connection reset right after the TCP "
                    + "handshake (" + describe(e) + ")", started, System.nanoTime() - connectStart);
        }
        if (e instanceof SocketException && !(e instanceof ConnectException) && message.contains("reset")) {
            // The handshake completed and the peer reset at once, before connect() returned (seen on loopback):
            // the same rejection as a reset after connect, not a refused port.
            return AttemptResult.of(Outcome.RESET, "connection reset right after the TCP handshake (" + describe(e)
                    + "), before any response byte: plaintext rejected", started, System.nanoTime() - connectStart);
        }
        return AttemptResult.of(Outcome.ERROR, "connect to " + endpoint + " failed: " + describe(e), started, 0);
    }

    private static Connection failed(AttemptResult r) {
        return new Connection(null, 0, r);
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return Sanitize.text(m == null ? e.getClass().getSimpleName() : m, 160);
    }
}
