package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.TargetSpec;
import java.nio.charset.StandardCharsets;

/**
 * The plaintext a TCP check sends first. A STRICT sidecar resets any connection whose first bytes are not a TLS
 * ClientHello, whatever they are; an application reached without a sidecar answers only bytes its own protocol
 * reads, so the greeting is that protocol's opening where it is known. (Redis, for one, closes without a word on
 * an HTTP request line, which would read as {@code closed}, proving nothing.)
 */
public enum Greeting {
    /** An HTTP/1.1 request line and headers: HTTP servers answer, most others reply with an error or a banner. */
    HTTP,
    /** The HTTP/2 connection preface and an empty SETTINGS frame: what a gRPC or h2c client sends first. */
    HTTP2,
    /** PostgreSQL's SSLRequest: the server answers one byte, {@code S} or {@code N}. */
    POSTGRES,
    /** Redis's inline {@code PING}: the server answers {@code +PONG} or an error. */
    REDIS;

    private static final byte[] HTTP2_PREFACE = concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(
            StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f};
    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.US_ASCII);

    /** The bytes to send to this target. */
    byte[] bytes(TargetSpec target, String userAgent) {
        return switch (this) {
            case HTTP -> ("GET / HTTP/1.1\r\nHost: " + target.hostHeader() + "\r\nUser-Agent: " + userAgent
                    + "\r\nAccept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            case HTTP2 -> HTTP2_PREFACE.clone();
            case POSTGRES -> SSL_REQUEST.clone();
            case REDIS -> PING.clone();
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
