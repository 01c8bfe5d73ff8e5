package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.AttemptResult;
import dev.mtlsprobe.model.Outcome;
import dev.mtlsprobe.model.TargetSpec;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The HTTP probe: one HTTP/1.1 GET with {@code Connection: close} on the attempt's one connection (TLS first for
 * an https target), the response read within the deadline and classified.
 *
 * <p>Why a socket-level client: the JDK's {@code HttpClient} silently re-sends an idempotent GET once after a
 * connection reset, so one "attempt" against a STRICT sidecar becomes two connections; pooling clients may
 * reuse a connection opened before a policy change. Neither is acceptable for a probe whose whole point is
 * how a <em>new</em> connection is treated, and a plain socket also tells a reset from a timeout exactly.
 */
public final class HttpProber implements Prober {

    /** What the attempt was doing, for the reason when the deadline ends it. */
    private enum Step {
        HANDSHAKE("the TLS handshake did not complete"), WRITE("the request could not be sent"),
        RESPONSE("no response"), BODY("the response did not complete");

        final String late;

        Step(String late) {
            this.late = late;
        }
    }

    // Small: a hanging target holds its attempt's buffer until the deadline, and thousands may hang at once.
    private static final int READ_BUFFER = 2048;

    private final Connector connector;
    private final Duration timeout;
    private final String userAgent;

    public HttpProber(Resolver resolver, Dialer dialer, Duration timeout, String version) {
        this.connector = new Connector(resolver, dialer);
        this.timeout = timeout;
        this.userAgent = "mtls-probe/" + version;
    }

    @Override
    public AttemptResult probe(TargetSpec target) {
        return connector.attempt(target, timeout, (s, guard, started, connectStart, deadline)
                -> exchange(s, guard, target, started, connectStart, deadline));
    }

    private AttemptResult exchange(Socket socket, Watchdog.Guard guard, TargetSpec target, long started,
            long connectStart, Deadline deadline) {
        ResponseReader reader = null;
        Step step = Step.HANDSHAKE;
        try {
            Socket io = target.https() ? tls(socket, target, deadline) : socket;
            step = Step.WRITE;
            OutputStream out = io.getOutputStream();
            out.write(request(target));
            out.flush();
            step = Step.RESPONSE;
            reader = new ResponseReader(new BufferedInputStream(new DeadlineInputStream(io, io.getInputStream(),
                    deadline), READ_BUFFER), deadline);
            HttpResponse response = reader.read();
            long duration = System.nanoTime() - connectStart;
            ResponseClassifier.Classified c = ResponseClassifier.classify(response, target.echo());
            return new AttemptResult(c.outcome(), c.reason(), c.identity(), started, duration, response.status(),
                    c.whole());
        } catch (IOException e) {
            long duration = System.nanoTime() - connectStart;
            long received = reader == null ? 0 : reader.received();
            if (step == Step.RESPONSE && received > 0) {
                step = Step.BODY;
            }
            if (guard.fired() || deadline.expired() || e instanceof SocketTimeoutException) {
                String late = step == Step.RESPONSE ? "connected, but no response" : step.late;
                return AttemptResult.of(Outcome.TIMEOUT, late + " within " + deadline.budgetMillis() + " ms",
                        started, duration);
            }
            if (e instanceof ResponseReader.MalformedResponseException) {
                return AttemptResult.of(Outcome.ERROR, "not an HTTP response: " + e.getMessage(), started, duration);
            }
            if (e instanceof SSLException) {
                return AttemptResult.of(Outcome.ERROR, "TLS to the target failed: " + Connector.describe(e), started, duration);
            }
            if (received == 0 && step != Step.HANDSHAKE) {
                String how = e instanceof EOFException ? "closed (FIN)" : "reset (" + Connector.describe(e) + ")";
                return AttemptResult.of(Outcome.RESET, "connection " + how + " before any response byte: plaintext "
                        + "rejected", started, duration);
            }
            return AttemptResult.of(Outcome.ERROR, (step == Step.HANDSHAKE ? "TLS handshake with the target failed: "
                    : "connection broke after " + received + " response bytes: ") + Connector.describe(e), started, duration);
        }
    }

    private byte[] request(TargetSpec target) {
        return ("GET " + target.requestTarget() + " HTTP/1.1\r\n"
                + "Host: " + target.hostHeader() + "\r\n"
                + "User-Agent: " + userAgent + "\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Socket tls(Socket socket, TargetSpec target, Deadline deadline) throws IOException {
        SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(socket, target.host(), target.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(deadline.millisLeft());
        ssl.startHandshake(); // bounded by the watchdog: a peer dripping handshake bytes resets each read's timer
        return ssl;
    }

}
