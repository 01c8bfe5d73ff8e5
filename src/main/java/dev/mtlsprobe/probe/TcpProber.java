package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.Sanitize;
import dev.mtlsprobe.model.TargetSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The TCP-level check, for ports that may not speak HTTP (databases, gRPC, caches): on the attempt's one
 * connection, send a plaintext {@link Greeting} and classify what the peer does before the deadline.
 *
 * <ul>
 * <li>a reset before any byte: {@code reset}, plaintext rejected (what a STRICT sidecar does);</li>
 * <li>any byte back: {@code accepted}, plaintext reached the application;</li>
 * <li>the connection held open, silent, until the deadline: {@code accepted} too, since only the application can
 * be waiting for more of a plaintext conversation (a sidecar decides on the first bytes);</li>
 * <li>a FIN before any byte: {@code closed}, which proves nothing, because an application may close on bytes it
 * does not understand.</li>
 * </ul>
 */
public final class TcpProber implements Prober {

    private static final int PREVIEW = 48;

    private final Connector connector;
    private final Duration timeout;
    private final String userAgent;

    public TcpProber(Resolver resolver, Dialer dialer, Duration timeout, String version) {
        this.connector = new Connector(resolver, dialer);
        this.timeout = timeout;
        this.userAgent = "mtls-probe/" + version;
    }

    /** A configured {@code tcp://} target: the greeting is a plaintext HTTP request line. */
    @Override
    public AttemptResult probe(TargetSpec target) {
        return probe(target, Greeting.HTTP);
    }

    public AttemptResult probe(TargetSpec target, Greeting greeting) {
        byte[] bytes = greeting.bytes(target, userAgent);
        return connector.attempt(target, timeout, (s, guard, started, connectStart, deadline)
                -> check(s, guard, bytes, started, connectStart, deadline));
    }

    private static AttemptResult check(Socket socket, Watchdog.Guard guard, byte[] greeting, long started,
            long connectStart, Deadline deadline) {
        IOException unsent = null;
        try {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(greeting);
                out.flush();
            } catch (IOException e) {
                // A server-first protocol may have spoken (a banner) and then reset before the greeting went out:
                // what it said is still to be read, and it is plaintext answered, not rejected.
                unsent = e;
            }
            InputStream in = new DeadlineInputStream(socket, socket.getInputStream(), deadline);
            byte[] buffer = new byte[PREVIEW];
            int n = in.read(buffer);
            long duration = System.nanoTime() - connectStart;
            if (n < 0 && unsent != null) {
                throw unsent; // the write already took the reset; the read sees only the end of the stream
            }
            if (n < 0) {
                return AttemptResult.of(Outcome.CLOSED, "connection closed (FIN) before any byte: no proof that "
                        + "plaintext is rejected, since an application may close on bytes it does not understand",
                        started, duration);
            }
            return new AttemptResult(Outcome.ACCEPTED, n + " byte(s) back to plaintext: it reached the "
                    + "application (\"" + preview(buffer, n) + "\")", Optional.empty(), started, duration, 0, true);
        } catch (IOException read) {
            IOException e = unsent != null ? unsent : read;
            long duration = System.nanoTime() - connectStart;
            if (guard.fired() || deadline.expired() || e instanceof SocketTimeoutException) {
                return new AttemptResult(Outcome.ACCEPTED, "connection held open for " + deadline.budgetMillis()
                        + " ms with no byte back and no reset: whatever listens is waiting for more plaintext",
                        Optional.empty(), started, duration, 0, false);
            }
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("reset") || message.contains("broken pipe")) {
                return AttemptResult.of(Outcome.RESET, "connection reset before any byte (" + Connector.describe(e)
                        + "): plaintext rejected", started, duration);
            }
            return AttemptResult.of(Outcome.ERROR, "the check broke off: " + Connector.describe(e), started, duration);
        }
    }

    /** The first line of what came back (a banner, a status line) as printable text, safe for a log line. */
    private static String preview(byte[] bytes, int n) {
        String text = new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
        int eol = text.indexOf('\n');
        text = eol >= 0 ? text.substring(0, eol) : text;
        return Sanitize.text(text.strip(), PREVIEW).replace('"', '\'');
    }
}
