package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.Sanitize;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 response reader: the probe needs the status, a few headers and a bounded body,
 * nothing more, and every byte it reads comes from a peer it does not trust.
 *
 * <p>Framing follows RFC 9112 where it decides a verdict: interim 1xx responses are skipped (a {@code 100
 * Continue} is not the answer); 1xx, 101, 204 and 304 carry no body, so the reader never waits for a close after
 * them; lines may end in a bare LF; a body that does not arrive whole says why ({@link HttpResponse.Framing}).
 */
public final class ResponseReader {

    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_BODY = 64 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_INTERIM = 8;

    /** Thrown when bytes arrived but they are not an HTTP/1.x response. */
    public static final class MalformedResponseException extends IOException {
        public MalformedResponseException(String message) {
            super(message);
        }
    }

    /** @param cut how the head ended early after a complete status line, or null when it arrived whole */
    private record Head(int status, Map<String, String> headers, HttpResponse.Framing cut) {
    }

    private final InputStream in;
    private final Deadline deadline;
    private long received;
    private int headBytes;

    /** @param deadline tells a read cut by the deadline from one cut by the peer */
    public ResponseReader(InputStream in, Deadline deadline) {
        this.in = in;
        this.deadline = deadline;
    }

    /** Bytes read so far; zero after a failure means the peer sent nothing at all. */
    public long received() {
        return received;
    }

    public HttpResponse read() throws IOException {
        int interim = 0;
        int interims = 0;
        Head head;
        while (true) {
            try {
                head = readHead();
            } catch (IOException e) {
                if (interim == 0 || e instanceof MalformedResponseException) {
                    throw e;
                }
                // An interim answer proves an HTTP server read the request, even if nothing follows it.
                return new HttpResponse(interim, Map.of(), new byte[0], HttpResponse.Framing.INTERIM_ONLY, interim);
            }
            if (head.cut() != null && head.status() < 200 && head.status() != 101) {
                return new HttpResponse(head.status(), Map.of(), new byte[0], HttpResponse.Framing.INTERIM_ONLY,
                        head.status());
            }
            if (head.status() >= 200 || head.status() == 101) {
                break;
            }
            if (++interims > MAX_INTERIM) {
                throw new MalformedResponseException("more than " + MAX_INTERIM + " interim 1xx responses");
            }
            interim = interim == 0 ? head.status() : interim;
        }
        if (head.cut() != null) {
            // A status line is proof enough that an HTTP server read the request; say how the rest went missing.
            return new HttpResponse(head.status(), Map.copyOf(head.headers()), new byte[0], head.cut(), interim);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpResponse.Framing framing;
        try {
            framing = new BodyReader(this::next, this::read, MAX_BODY).read(head.status(), head.headers(), body);
        } catch (IOException e) {
            // The head already tells what happened; keep what arrived and say how the body ended.
            framing = e instanceof SocketTimeoutException || deadline.expired() ? HttpResponse.Framing.TIMED_OUT
                    : e instanceof MalformedResponseException ? HttpResponse.Framing.MALFORMED
                            : HttpResponse.Framing.CUT;
        }
        return new HttpResponse(head.status(), Map.copyOf(head.headers()), body.toByteArray(), framing, interim);
    }

    private Head readHead() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
        boolean lineEmpty = false; // the status line is never empty
        boolean statusLine = false; // a whole first line arrived
        HttpResponse.Framing cut = null;
        while (true) {
            int b;
            try {
                b = next();
            } catch (IOException e) {
                if (!statusLine) {
                    throw e;
                }
                cut = e instanceof SocketTimeoutException || deadline.expired() ? HttpResponse.Framing.TIMED_OUT
                        : HttpResponse.Framing.CUT;
                break;
            }
            if (b < 0) {
                if (raw.size() == 0) {
                    throw new EOFException(received == 0 ? "connection closed before any response byte"
                            : "connection closed before the final response");
                }
                if (!statusLine) {
                    throw new MalformedResponseException("connection closed inside the response head");
                }
                cut = HttpResponse.Framing.CUT;
                break;
            }
            if (++headBytes > MAX_HEAD) {
                throw new MalformedResponseException("response head exceeds " + MAX_HEAD + " bytes");
            }
            if (b == '\n') {
                statusLine = true;
                if (lineEmpty) {
                    break; // CRLF CRLF, or bare LF LF
                }
                lineEmpty = true;
            } else if (b != '\r') {
                lineEmpty = false;
            }
            raw.write(b);
        }
        String[] lines = raw.toString(StandardCharsets.ISO_8859_1).split("\n", -1);
        int status = statusOf(strip(lines[0]));
        Map<String, String> headers = new HashMap<>();
        int complete = cut == null ? lines.length : lines.length - 1; // a cut head's last line may be partial
        for (int i = 1; i < complete && headers.size() < MAX_HEADERS; i++) {
            String line = strip(lines[i]);
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
        }
        return new Head(status, headers, cut);
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static int statusOf(String statusLine) throws MalformedResponseException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' '
                || (statusLine.length() > 12 && statusLine.charAt(12) != ' ')) {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + Sanitize.text(statusLine, 60));
        }
        String code = statusLine.substring(9, 12);
        if (!code.chars().allMatch(c -> c >= '0' && c <= '9') || code.charAt(0) < '1') {
            throw new MalformedResponseException("bad status code in: " + Sanitize.text(statusLine, 60));
        }
        return Integer.parseInt(code);
    }

    private int next() throws IOException {
        int b = in.read();
        if (b >= 0) {
            received++;
        }
        return b;
    }

    private int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            received += n;
        }
        return n;
    }
}
