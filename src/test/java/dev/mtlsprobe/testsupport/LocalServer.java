package dev.mtlsprobe.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real TCP server on 127.0.0.1 with one scripted behaviour per connection, counting connections, so a test
 * can prove both what the probe concluded and that it opened exactly one connection per attempt.
 */
public final class LocalServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    @FunctionalInterface
    public interface Behaviour {
        void handle(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicReference<Behaviour> behaviour;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-server");
        t.setDaemon(true);
        return t;
    });

    public LocalServer(Behaviour behaviour) throws IOException {
        this.behaviour = new AtomicReference<>(behaviour);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int connections() {
        return connections.get();
    }

    /** Changes the behaviour for connections accepted from now on (e.g. STRICT to PERMISSIVE). */
    public void become(Behaviour next) {
        behaviour.set(next);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                open.add(s);
                Behaviour b = behaviour.get();
                pool.execute(() -> {
                    try {
                        b.handle(s);
                    } catch (IOException ignored) {
                        // the probe may close first (e.g. body limit); that is its right
                    } finally {
                        open.remove(s);
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // already gone
                        }
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        pool.shutdownNow();
    }

    // ---- behaviours ----

    /** Envoy in STRICT mode seen from a plaintext client: the connection is reset, no byte is sent. */
    public static Behaviour reset() {
        return s -> {
            s.setSoLinger(true, 0);
            s.close();
        };
    }

    /** Reads the request, then closes with FIN and no response (curl exit 52). */
    public static Behaviour closeAfterRequest() {
        return s -> {
            readHead(s.getInputStream());
            s.shutdownOutput();
        };
    }

    /** Accepts, reads the request and never answers. */
    public static Behaviour hang() {
        return s -> {
            readHead(s.getInputStream());
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    public static Behaviour respond(int status, String contentType, String body) {
        return s -> {
            readHead(s.getInputStream());
            write(s, status, contentType, body.getBytes(StandardCharsets.UTF_8));
        };
    }

    /**
     * httpbin's {@code /headers}: echoes the request headers as JSON. With {@code xfcc} non-null it behaves like
     * a server sidecar that terminated mTLS: any client-supplied XFCC is replaced by its own.
     */
    public static Behaviour echo(String xfcc) {
        return s -> {
            Map<String, String> headers = parseHeaders(readHead(s.getInputStream()));
            headers.keySet().removeIf(k -> k.equalsIgnoreCase("X-Forwarded-Client-Cert"));
            if (xfcc != null) {
                headers.put("X-Forwarded-Client-Cert", xfcc);
            }
            write(s, 200, "application/json", headersJson(headers).getBytes(StandardCharsets.UTF_8));
        };
    }

    /** A 200 whose body is {@code size} bytes long, written until the client stops reading. */
    public static Behaviour bigBody(long size) {
        return s -> {
            readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long left = size; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        };
    }

    public static String headersJson(Map<String, String> headers) {
        StringBuilder sb = new StringBuilder("{\"headers\": {");
        boolean first = true;
        for (var e : headers.entrySet()) {
            sb.append(first ? "" : ", ").append(Json.quote(e.getKey())).append(": ").append(Json.quote(e.getValue()));
            first = false;
        }
        return sb.append("}}").toString();
    }

    public static void write(Socket s, int status, String contentType, byte[] body) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    public static Map<String, String> parseHeaders(String head) {
        Map<String, String> headers = new LinkedHashMap<>();
        String[] lines = head.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** Minimal JSON string quoting for the echo bodies. */
    static final class Json {
        static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            return sb.append('"').toString();
        }
    }
}
