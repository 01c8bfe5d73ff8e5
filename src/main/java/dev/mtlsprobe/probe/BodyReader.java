package dev.mtlsprobe.probe;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a response body as its framing says (RFC 9112 section 6.3), keeping at most the read limit, and tells how
 * the body ended: whole, over the limit, cut, or with broken framing.
 */
final class BodyReader {

    /** One byte from the connection, or -1 at its end. */
    @FunctionalInterface
    interface ByteSource {
        int next() throws IOException;
    }

    /** Bytes from the connection into a buffer, or -1 at its end. */
    @FunctionalInterface
    interface BlockSource {
        int read(byte[] buf, int off, int len) throws IOException;
    }

    private final ByteSource bytes;
    private final BlockSource blocks;
    private final int limit;

    BodyReader(ByteSource bytes, BlockSource blocks, int limit) {
        this.bytes = bytes;
        this.blocks = blocks;
        this.limit = limit;
    }

    HttpResponse.Framing read(int status, Map<String, String> headers, ByteArrayOutputStream body)
            throws IOException {
        if (status < 200 || status == 204 || status == 304) {
            return HttpResponse.Framing.NO_BODY;
        }
        String te = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (te.endsWith("chunked")) {
            return chunked(body);
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            long length;
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                return HttpResponse.Framing.MALFORMED;
            }
            return length < 0 ? HttpResponse.Framing.MALFORMED : copy(body, length);
        }
        return copy(body, -1); // delimited by close: the probe asked for Connection: close
    }

    private HttpResponse.Framing chunked(ByteArrayOutputStream body) throws IOException {
        while (true) {
            String sizeLine = line();
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            } catch (NumberFormatException e) {
                return HttpResponse.Framing.MALFORMED;
            }
            if (size < 0) {
                return HttpResponse.Framing.MALFORMED;
            }
            if (size == 0) {
                return HttpResponse.Framing.COMPLETE; // trailers, if any, are of no interest
            }
            HttpResponse.Framing chunk = copy(body, size);
            if (chunk != HttpResponse.Framing.COMPLETE) {
                return chunk;
            }
            line(); // the line end after the chunk
        }
    }

    /** Copies {@code length} bytes ({@code -1}: up to the close), stopping at the read limit. */
    private HttpResponse.Framing copy(ByteArrayOutputStream body, long length) throws IOException {
        byte[] buf = new byte[4096];
        long left = length < 0 ? Long.MAX_VALUE : length;
        while (left > 0) {
            int room = limit - body.size();
            if (room <= 0) {
                return HttpResponse.Framing.OVER_LIMIT;
            }
            int n = blocks.read(buf, 0, (int) Math.min(Math.min(buf.length, room), left));
            if (n < 0) {
                return length < 0 ? HttpResponse.Framing.COMPLETE : HttpResponse.Framing.CUT;
            }
            body.write(buf, 0, n);
            left -= n;
        }
        return HttpResponse.Framing.COMPLETE;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = bytes.next()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed inside a chunk header");
            }
            if (sb.length() > 1024) {
                throw new ResponseReader.MalformedResponseException("chunk header too long");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }
}
