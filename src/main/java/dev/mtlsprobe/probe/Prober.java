package dev.mtlsprobe.probe;

import dev.mtlsprobe.config.TargetSpec;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The probe itself: a function of target to {@link AttemptResult}. One attempt is exactly one TCP connection
 * with one HTTP/1.1 GET and {@code Connection: close}.
 *
 * <p>Why a socket-level client: the JDK's {@code HttpClient} silently re-sends an idempotent GET once after a
 * connection reset, so one "attempt" against a STRICT sidecar becomes two connections; pooling clients may
 * reuse a connection opened before a policy change. Neither is acceptable for a probe whose whole point is
 * how a <em>new</em> connection is treated, and a plain socket also tells a reset from a timeout exactly.
 */
public final class Prober {

    private final Resolver resolver;
    private final Dialer dialer;
    private final long timeoutNanos;
    private final String userAgent;

    public Prober(Resolver resolver, Dialer dialer, Duration timeout, String version) {
        this.resolver = resolver;
        this.dialer = dialer;
        this.timeoutNanos = timeout.toNanos();
        this.userAgent = "mtls-probe/" + version;
    }

    public AttemptResult probe(TargetSpec target) {
        long started = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutNanos;
        InetAddress address;
        try {
            address = resolver.resolve(target.host());
        } catch (UnknownHostException e) {
            return result(Outcome.DNS_ERROR, "host name " + Sanitize.text(target.host(), 100) + " did not resolve",
                    started, 0, 0);
        } catch (RuntimeException e) {
            return result(Outcome.ERROR, "resolving " + Sanitize.text(target.host(), 100) + " failed: " + describe(e),
                    started, 0, 0);
        }
        long connectStart = System.nanoTime();
        Socket socket;
        try {
            socket = dialer.connect(address, target, millisLeft(deadline));
        } catch (SocketTimeoutException e) {
            return result(Outcome.TIMEOUT, "no TCP connection to " + endpoint(address, target) + " within "
                    + timeoutNanos / 1_000_000 + " ms", started, 0, 0);
        } catch (ConnectException e) {
            boolean refused = String.valueOf(e.getMessage()).toLowerCase().contains("refused");
            return result(refused ? Outcome.REFUSED : Outcome.ERROR, (refused ? "connection refused by "
                    : "connect to ") + endpoint(address, target) + (refused ? ": nothing listens" : " failed: "
                    + describe(e)), started, 0, 0);
        } catch (NoRouteToHostException e) {
            return result(Outcome.ERROR, "no route to " + endpoint(address, target), started, 0, 0);
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).toLowerCase().contains("reset")) {
                // The handshake completed and the peer reset at once, before connect() returned (seen on
                // loopback): the same rejection as a reset after connect, not a refused port.
                return result(Outcome.RESET, "connection reset right after the TCP handshake (" + describe(e)
                        + "), before any response byte: plaintext rejected", started, System.nanoTime() - connectStart,
                        0);
            }
            return result(Outcome.ERROR, "connect to " + endpoint(address, target) + " failed: " + describe(e),
                    started, 0, 0);
        } catch (IOException | RuntimeException e) {
            return result(Outcome.ERROR, "connect to " + endpoint(address, target) + " failed: " + describe(e),
                    started, 0, 0);
        }
        try (Socket s = socket) {
            return exchange(s, target, started, connectStart, deadline);
        } catch (IOException e) {
            return result(Outcome.ERROR, "closing the connection failed: " + describe(e), started,
                    System.nanoTime() - connectStart, 0);
        }
    }

    private AttemptResult exchange(Socket socket, TargetSpec target, long started, long connectStart, long deadline) {
        ResponseReader reader = null;
        try {
            Socket io = target.https() ? tls(socket, target, deadline) : socket;
            OutputStream out = io.getOutputStream();
            out.write(request(target));
            out.flush();
            reader = new ResponseReader(new BufferedInputStream(new DeadlineInputStream(io, deadline), 8192));
            HttpResponse response = reader.read();
            long duration = System.nanoTime() - connectStart;
            ResponseClassifier.Classified c = ResponseClassifier.classify(response);
            String reason = response.truncated() ? c.reason() + " (body read up to its first "
                    + response.body().length + " bytes)" : c.reason();
            return new AttemptResult(c.outcome(), reason, c.identity(), started, duration, response.status());
        } catch (SocketTimeoutException e) {
            boolean nothing = reader == null || reader.received() == 0;
            return result(Outcome.TIMEOUT, nothing ? "connected, but no response within "
                    + timeoutNanos / 1_000_000 + " ms" : "the response did not complete within "
                    + timeoutNanos / 1_000_000 + " ms", started, System.nanoTime() - connectStart, 0);
        } catch (ResponseReader.MalformedResponseException e) {
            return result(Outcome.ERROR, "not an HTTP response: " + e.getMessage(), started,
                    System.nanoTime() - connectStart, 0);
        } catch (SSLException e) {
            return result(Outcome.ERROR, "TLS to the target failed: " + describe(e), started,
                    System.nanoTime() - connectStart, 0);
        } catch (IOException e) {
            long duration = System.nanoTime() - connectStart;
            if (reader == null || reader.received() == 0) {
                String how = e instanceof EOFException ? "closed (FIN)" : "reset (" + describe(e) + ")";
                return result(Outcome.RESET, "connection " + how + " before any response byte: plaintext rejected",
                        started, duration, 0);
            }
            return result(Outcome.ERROR, "connection broke after " + reader.received() + " response bytes: "
                    + describe(e), started, duration, 0);
        }
    }

    private byte[] request(TargetSpec target) {
        return ("GET " + target.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + target.hostHeader() + "\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Socket tls(Socket socket, TargetSpec target, long deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(socket, target.host(), target.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(millisLeft(deadline));
        ssl.startHandshake();
        return ssl;
    }

    private static int millisLeft(long deadline) {
        return (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    }

    private static String endpoint(InetAddress address, TargetSpec target) {
        return address.getHostAddress() + ":" + target.port();
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return Sanitize.text(m == null ? e.getClass().getSimpleName() : m, 160);
    }

    private static AttemptResult result(Outcome outcome, String reason, long started, long duration, int status) {
        return new AttemptResult(outcome, reason, Optional.empty(), started, duration, status);
    }
}
