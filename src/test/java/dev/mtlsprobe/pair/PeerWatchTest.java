package dev.mtlsprobe.pair;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.LocalServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The peer kept current against a real loopback peer: reachable, confirmed by 304 without getting younger, gone
 * (its data dropped at once), back, and left alone while nobody looks.
 */
class PeerWatchTest {

    static final Duration AT_MOST = Duration.ofSeconds(5);

    /** A probe's status endpoint: a fresh document with an ETag, 304 when the client has it. */
    static LocalServer.Behaviour peer(AtomicInteger documents) {
        return s -> {
            Map<String, String> h = LocalServer.parseHeaders(LocalServer.readHead(s.getInputStream()));
            if ("\"v1\"".equals(h.get("If-None-Match"))) {
                s.getOutputStream().write("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            documents.incrementAndGet();
            byte[] body = PeerDocs.sidecar().toString().getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"v1\"\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(body);
        };
    }

    @Test
    void followsThePeerAndNeverKeepsWhatItCannotConfirm() throws Exception {
        AtomicInteger documents = new AtomicInteger();
        PeerWatch w = new PeerWatch(PeerDocs.JSON);
        try (LocalServer server = new LocalServer(peer(documents))) {
            w.start(URI.create(server.url("/q/status")), Duration.ofMillis(500), 64 * 1024, Duration.ofMillis(100),
                    "test");
            assertEquals(PeerView.WAITING, w.view().state());
            w.touch();
            await().atMost(AT_MOST).until(() -> w.view().ok());
            PeerView first = w.view();
            assertEquals("sidecar", first.status().role());
            assertEquals(server.url("/q/status"), first.url());

            // Confirmed by 304s: the contact is renewed, the document's fetch time is not.
            await().atMost(AT_MOST).until(() -> {
                w.touch();
                return w.view().lastContactMillis() > first.fetchedAtMillis() + 300;
            });
            assertEquals(1, documents.get(), "one document, then only 304s");
            assertEquals(first.fetchedAtMillis(), w.view().fetchedAtMillis());

            long version = w.version();
            server.become(LocalServer.reset());
            await().atMost(AT_MOST).until(() -> {
                w.touch();
                return PeerView.UNREACHABLE.equals(w.view().state());
            });
            PeerView gone = w.view();
            assertNull(gone.status(), "nothing of the peer is kept once it cannot be confirmed");
            assertTrue(!gone.problem().isBlank(), "says why");
            assertTrue(w.version() > version);

            server.become(peer(documents));
            await().atMost(AT_MOST).until(() -> {
                w.touch();
                return w.view().ok();
            });
            assertTrue(w.view().sinceMillis() > gone.sinceMillis(), "reachable again since now");
        } finally {
            w.onStop(null);
        }
    }

    @Test
    void fetchesOnlyWhileSomeoneLooks() throws Exception {
        PeerWatch w = new PeerWatch(PeerDocs.JSON);
        w.idleAfter(300);
        try (LocalServer server = new LocalServer(peer(new AtomicInteger()))) {
            w.start(URI.create(server.url("/q/status")), Duration.ofMillis(500), 64 * 1024, Duration.ofMillis(50),
                    "test");
            Thread.sleep(400);
            assertEquals(0, server.connections(), "nobody looked");
            w.touch();
            await().atMost(AT_MOST).until(() -> w.view().ok());
            await().atMost(AT_MOST).until(() -> PeerView.WAITING.equals(w.view().state()));
            int after = server.connections();
            Thread.sleep(400);
            assertEquals(after, server.connections(), "idle: no more fetches");
            w.touch();
            await().atMost(AT_MOST).until(() -> w.view().ok());
        } finally {
            w.onStop(null);
        }
    }

    @Test
    void anInvalidDocumentIsAProblemNotAPeer() throws Exception {
        PeerWatch w = new PeerWatch(PeerDocs.JSON);
        try (LocalServer server = new LocalServer(LocalServer.respond(200, "application/json",
                "{\"role\":\"demo\",\"intervalSeconds\":1,\"targets\":[]}"))) {
            w.start(URI.create(server.url("/q/status")), Duration.ofMillis(500), 64 * 1024, Duration.ofMillis(100),
                    "test");
            w.touch();
            await().atMost(AT_MOST).until(() -> PeerView.UNREACHABLE.equals(w.view().state()));
            assertEquals("its answer is not a probe's status: role demo is neither naked nor sidecar (the peer runs "
                    + "the demo mesh)", w.view().problem());
        } finally {
            w.onStop(null);
        }
    }
}
