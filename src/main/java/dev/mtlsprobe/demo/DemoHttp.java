package dev.mtlsprobe.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The little HTTP/1.1 plumbing the demo servers share: request heads, responses, byte pipes. */
final class DemoHttp {

    static final int MAX_HEAD = 16 * 1024;

    /** A request head: the request line and the header lines, in order. */
    record Head(String requestLine, List<String[]> headers) {

        String path() {
            String[] parts = requestLine.split(" ");
            return parts.length > 1 ? parts[1] : "/";
        }

        /** A copy without the named header (any case). */
        Head without(String name) {
            List<String[]> kept = new ArrayList<>();
            for (String[] h : headers) {
                if (!h[0].equalsIgnoreCase(name)) {
                    kept.add(h);
                }
            }
            return new Head(requestLine, kept);
        }

        Head with(String name, String value) {
            List<String[]> all = new ArrayList<>(without(name).headers());
            all.add(new String[] {name, value});
            return new Head(requestLine, all);
        }

        byte[] bytes() {
            StringBuilder sb = new StringBuilder(requestLine).append("\r\n");
            for (String[] h : headers) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private DemoHttp() {
    }

    /** Reads a request head; {@code prefix} holds bytes already consumed from the stream. */
    static Head readHead(InputStream in, byte[] prefix) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        buf.write(prefix);
        while (!endsWithBlankLine(buf)) {
            int b = in.read();
            if (b < 0 || buf.size() > MAX_HEAD) {
                throw new IOException("incomplete or oversized request head");
            }
            buf.write(b);
        }
        String[] lines = buf.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.add(new String[] {lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()});
            }
        }
        return new Head(lines[0], headers);
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream buf) {
        byte[] b = buf.toByteArray();
        int n = b.length;
        return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
    }

    static void respond(OutputStream out, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Copies until end of stream. @return bytes copied */
    static long pipe(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            total += n;
        }
        out.flush();
        return total;
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    static ExecutorService threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
