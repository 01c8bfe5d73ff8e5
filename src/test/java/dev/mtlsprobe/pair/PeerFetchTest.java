package dev.mtlsprobe.pair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.HostilePeers;
import dev.mtlsprobe.testsupport.LocalServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * One fetch of the peer's status against real loopback servers that answer as a broken or hostile peer would:
 * every fetch ends by its timeout and reads at most its limit, and says in one line what went wrong.
 */
class PeerFetchTest {

    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final int MAX = 64 * 1024;
    static final String BODY = "{\"role\":\"sidecar\"}";

    /** Fetches once from a server with this behaviour; the whole fetch must end within the timeout and a bit. */
    static PeerFetch.Result fetch(LocalServer.Behaviour b, String etag) throws IOException {
        try (LocalServer s = new LocalServer(b)) {
            long start = System.nanoTime();
            PeerFetch.Result r = new PeerFetch(URI.create(s.url("/q/status")), TIMEOUT, MAX, "test").get(etag);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < TIMEOUT.toMillis() + 700, "took " + millis + " ms: " + r);
            return r;
        }
    }

    static PeerFetch.Result fetch(LocalServer.Behaviour b) throws IOException {
        return fetch(b, null);
    }

    static LocalServer.Behaviour bytes(String head, byte[] body) {
        return s -> {
            LocalServer.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        };
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void aWholeAnswerWithItsETag() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "ETag: \"7.1\"\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY));
        assertNull(r.problem());
        assertEquals(BODY, new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("\"7.1\"", r.etag());
    }

    @Test
    void aNotModifiedAnswerKeepsTheDocument() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.raw("HTTP/1.1 304 Not Modified\r\nETag: \"7.1\"\r\n\r\n"), "\"7.1\"");
        assertTrue(r.notModified());
        assertNull(r.problem());
    }

    @Test
    void aCompressedAnswerIsInflated() throws Exception {
        byte[] z = gzip(BODY.getBytes(StandardCharsets.UTF_8));
        PeerFetch.Result r = fetch(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + z.length
                + "\r\n\r\n", z));
        assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), r.body());
    }

    @Test
    void aCompressionBombIsStoppedAtTheLimit() throws Exception {
        byte[] z = gzip(new byte[10 * 1024 * 1024]);
        assertTrue(z.length < MAX, "the bomb itself is small: " + z.length);
        PeerFetch.Result r = fetch(bytes("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + z.length
                + "\r\n\r\n", z));
        assertEquals("the answer inflates to more than " + MAX + " bytes", r.problem());
    }

    @Test
    void anOversizedAnswerIsRefusedUnread() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.thenHang("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n{"));
        assertEquals("the answer announces 100000000 bytes, over the limit of " + MAX, r.problem());
    }

    @Test
    void anEndlessStreamIsCutAtTheLimit() throws Exception {
        PeerFetch.Result r = fetch(s -> {
            LocalServer.readHead(s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            while (!s.isClosed()) {
                out.write(chunk);
            }
        });
        assertTrue(r.problem().startsWith("the answer exceeds the limit of " + MAX), r.problem());
    }

    @Test
    void endlessChunksEndByTheTimeout() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.endlessChunks());
        assertEquals("no complete answer within 500 ms", r.problem());
    }

    @Test
    void aSlowDripEndsByTheTimeout() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.drip(HostilePeers.response(200, "application/json", BODY), 40));
        assertEquals("no complete answer within 500 ms", r.problem());
    }

    @Test
    void aPeerThatNeverAnswersEndsByTheTimeout() throws Exception {
        assertEquals("no complete answer within 500 ms", fetch(LocalServer.hang()).problem());
    }

    @Test
    void aCutAnswerIsAProblem() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.thenReset("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"role\""));
        assertTrue(r.problem().startsWith("the exchange failed: "), r.problem());
    }

    @Test
    void somethingThatIsNotHttpIsAProblem() throws Exception {
        PeerFetch.Result r = fetch(HostilePeers.raw("SSH-2.0-OpenSSH_9.2\r\n\u001b[2J\r\n\r\n"));
        assertTrue(r.problem().startsWith("the exchange failed: "), r.problem());
        assertTrue(r.problem().chars().allMatch(c -> c >= 0x20 && c < 0x7f), r.problem());
    }

    @Test
    void anErrorStatusIsAProblemAndItsBodyIsNotKept() throws Exception {
        PeerFetch.Result r = fetch(LocalServer.respond(503, "text/plain", "upstream connect error"));
        assertEquals("it answered HTTP 503", r.problem());
        assertNull(r.body());
    }

    @Test
    void nothingListeningIsRefused() throws Exception {
        LocalServer gone = new LocalServer(LocalServer.reset());
        String url = gone.url("/q/status");
        gone.close();
        PeerFetch.Result r = new PeerFetch(URI.create(url), TIMEOUT, MAX, "test").get(null);
        assertEquals("the connection was refused", r.problem());
    }
}
