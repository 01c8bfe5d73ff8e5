package dev.mtlsprobe.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately small HTTP/1.1 response reader: the probe needs the status, a few headers and a bounded
 * body, nothing more, and every byte it reads comes from a peer it does not trust.
 */
public final class ResponseReader {

    public static final int MAX_HEAD = 16 * 1024;
    public static final int MAX_BODY = 64 * 1024;
    private static final int MAX_HEADERS = 100;

    /** Thrown when bytes arrived but they are not an HTTP/1.x response. */
    public static final class MalformedResponseException extends IOException {
        public MalformedResponseException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private long received;

    public ResponseReader(InputStream in) {
        this.in = in;
    }

    /** Bytes read so far; zero after a failure means the peer sent nothing at all. */
    public long received() {
        return received;
    }

    public HttpResponse read() throws IOException {
        byte[] head = readHead();
        String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = statusOf(lines[0]);
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length && headers.size() < MAX_HEADERS; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean complete;
        try {
            complete = readBody(headers, body);
        } catch (IOException e) {
            complete = false; // the response head already tells what happened; keep what arrived
        }
        return new HttpResponse(status, Map.copyOf(headers), body.toByteArray(), !complete);
    }

    private byte[] readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0; // progress through "\r\n\r\n"
        while (matched < 4) {
            int b = next();
            if (b < 0) {
                if (received == 0) {
                    throw new java.io.EOFException("connection closed before any response byte");
                }
                throw new MalformedResponseException("connection closed inside the response head");
            }
            if (head.size() >= MAX_HEAD) {
                throw new MalformedResponseException("response head exceeds " + MAX_HEAD + " bytes");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = head.toByteArray();
        return java.util.Arrays.copyOf(bytes, bytes.length - 4);
    }

    private static int statusOf(String statusLine) throws MalformedResponseException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + Sanitize.text(statusLine, 60));
        }
        String code = statusLine.substring(9, 12);
        if (!code.chars().allMatch(Character::isDigit) || code.charAt(0) < '1') {
            throw new MalformedResponseException("bad status code in: " + Sanitize.text(statusLine, 60));
        }
        return Integer.parseInt(code);
    }

    /** @return true when the whole body was read within the limit */
    private boolean readBody(Map<String, String> headers, ByteArrayOutputStream body) throws IOException {
        String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (te.contains("chunked")) {
            return readChunked(body);
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            long length;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                return false;
            }
            return copy(body, Math.max(0, length)) && length <= MAX_BODY;
        }
        return copy(body, Long.MAX_VALUE); // body delimited by close; we asked for Connection: close
    }

    private boolean readChunked(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = line();
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                return false;
            }
            if (size == 0) {
                return true; // trailers, if any, are of no interest
            }
            if (size < 0 || !copy(body, size)) {
                return false;
            }
            line(); // CRLF after the chunk
        }
    }

    /** Copies up to {@code length} bytes, stopping at the body limit. @return false when cut short */
    private boolean copy(ByteArrayOutputStream body, long length) throws IOException {
        byte[] buf = new byte[4096];
        long left = length;
        while (left > 0) {
            int room = MAX_BODY - body.size();
            if (room <= 0) {
                return false;
            }
            int n = in.read(buf, 0, (int) Math.min(Math.min(buf.length, room), left));
            if (n < 0) {
                return length == Long.MAX_VALUE;
            }
            received += n;
            body.write(buf, 0, n);
            left -= n;
        }
        return true;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = next()) >= 0 && b != '\n') {
            if (sb.length() > 1024) {
                throw new MalformedResponseException("chunk header too long");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    private int next() throws IOException {
        int b = in.read();
        if (b >= 0) {
            received++;
        }
        return b;
    }
}
