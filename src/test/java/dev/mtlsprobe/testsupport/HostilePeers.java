package dev.mtlsprobe.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Servers that answer the probe the way a hostile or broken peer would: cut, endless, oversized, malformed,
 * slow-drip. Each is a {@link LocalServer.Behaviour} for one real loopback connection.
 */
public final class HostilePeers {

    private HostilePeers() {
    }

    /** The body of httpbin's {@code /headers} for a plaintext request, optionally with a sidecar's XFCC. */
    public static String echoBody(String xfcc) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1");
        headers.put("User-Agent", "mtls-probe/test");
        if (xfcc != null) {
            headers.put("X-Forwarded-Client-Cert", xfcc);
        }
        return LocalServer.headersJson(headers);
    }

    /** Reads the request, writes these exact bytes and closes with FIN. */
    public static LocalServer.Behaviour raw(String response) {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            write(s, response);
            s.shutdownOutput();
        };
    }

    /** Reads the request, writes these bytes, then resets the connection (SO_LINGER 0). */
    public static LocalServer.Behaviour thenReset(String response) {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            write(s, response);
            s.setSoLinger(true, 0);
            s.close();
        };
    }

    /** Reads the request, writes these bytes and then holds the connection open without a word. */
    public static LocalServer.Behaviour thenHang(String response) {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            write(s, response);
            sleep(60_000);
        };
    }

    /** A server-first protocol (SSH, SMTP, MySQL): sends its banner at once, reads nothing, then holds on. */
    public static LocalServer.Behaviour banner(String banner) {
        return s -> {
            write(s, banner);
            sleep(60_000);
        };
    }

    /**
     * Closes with FIN the moment it accepts, before reading or sending anything; then reads until the client goes
     * (closing a socket with unread bytes would send a reset instead).
     */
    public static LocalServer.Behaviour finAtOnce() {
        return s -> {
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        };
    }

    /** Sends a banner the moment it accepts, then resets the connection without reading anything. */
    public static LocalServer.Behaviour bannerThenReset(String banner) {
        return s -> {
            write(s, banner);
            s.setSoLinger(true, 0);
            s.close();
        };
    }

    /** Accepts and neither reads nor writes: the connection stays open, silent. */
    public static LocalServer.Behaviour silent() {
        return s -> sleep(60_000);
    }

    /**
     * A client-first binary protocol: reads exactly {@code expected.length} bytes; when they are {@code expected}
     * it answers {@code reply} and holds on, anything else it closes with FIN without a word (as Redis does with an
     * HTTP request line). {@code seen} receives what was read.
     */
    public static LocalServer.Behaviour speaks(byte[] expected, String reply, java.util.function.Consumer<byte[]> seen) {
        return s -> {
            byte[] got = s.getInputStream().readNBytes(expected.length);
            seen.accept(got);
            if (!java.util.Arrays.equals(expected, got)) {
                s.shutdownOutput();
                s.getInputStream().readAllBytes(); // unread bytes would turn the close into a reset
                return;
            }
            write(s, reply);
            sleep(60_000);
        };
    }

    /** Reads the request and sends these bytes one at a time, {@code everyMillis} apart, repeating forever. */
    public static LocalServer.Behaviour drip(String bytes, long everyMillis) {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; !s.isClosed(); i = (i + 1) % b.length) {
                out.write(b[i]);
                out.flush();
                sleep(everyMillis);
            }
        };
    }

    /** A chunked 200 whose chunks keep coming and never end. */
    public static LocalServer.Behaviour endlessChunks() {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1\r\n{\r\n");
            while (!s.isClosed()) {
                write(s, "2\r\n  \r\n");
                sleep(20);
            }
        };
    }

    /**
     * Takes the TLS ClientHello and answers with a TLS record header dripped one byte at a time, forever: every
     * read the handshake makes gets a byte before its timer runs out.
     */
    public static LocalServer.Behaviour tlsHandshakeDrip(long everyMillis) {
        return s -> {
            InputStream in = s.getInputStream();
            byte[] hello = new byte[4096];
            if (in.read(hello) < 0) {
                return;
            }
            OutputStream out = s.getOutputStream();
            // A handshake record of the largest size, so the client keeps reading its body.
            byte[] header = {0x16, 0x03, 0x03, 0x3f, (byte) 0xff};
            for (int i = 0; !s.isClosed(); i++) {
                out.write(i < header.length ? header[i] : 0x02);
                out.flush();
                sleep(everyMillis);
            }
        };
    }

    /** A 200 echo whose Content-Length is right but whose body pads the JSON past the probe's read limit. */
    public static String oversizedEcho(int size) {
        String echo = echoBody(null);
        String padded = echo.substring(0, echo.length() - 1) + ", \"pad\": \"" + "x".repeat(size) + "\"}";
        return response(200, "application/json", padded);
    }

    public static String response(int status, String contentType, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
