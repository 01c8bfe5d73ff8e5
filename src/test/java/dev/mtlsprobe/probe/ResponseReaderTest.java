package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Framing on canned bytes; the same rules against real sockets are in {@link ProberTest}. */
class ResponseReaderTest {

    static HttpResponse read(String raw) throws Exception {
        return new ResponseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)),
                Deadline.after(Duration.ofSeconds(5))).read();
    }

    @Test
    void decodesChunkedBodies() throws Exception {
        HttpResponse r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals(200, r.status());
        assertArrayEquals("hello world".getBytes(), r.body());
        assertEquals(HttpResponse.Framing.COMPLETE, r.framing());
    }

    @Test
    void readsCloseDelimitedBodiesAndLowerCasesHeaders() throws Exception {
        HttpResponse r = read("HTTP/1.0 404 Not Found\r\nX-Thing: A\r\n\r\nnope");
        assertEquals(404, r.status());
        assertEquals("A", r.header("x-thing"));
        assertArrayEquals("nope".getBytes(), r.body());
        assertEquals(HttpResponse.Framing.COMPLETE, r.framing());
    }

    @Test
    void stopsAtTheBodyLimit() throws Exception {
        String body = "x".repeat(ResponseReader.MAX_BODY + 10);
        HttpResponse r = read("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(ResponseReader.MAX_BODY, r.body().length);
        assertEquals(HttpResponse.Framing.OVER_LIMIT, r.framing());
    }

    @Test
    void saysHowABodyWasCut() throws Exception {
        assertEquals(HttpResponse.Framing.CUT, read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").framing());
        assertEquals(HttpResponse.Framing.CUT, read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab").framing());
        assertEquals(HttpResponse.Framing.MALFORMED, read("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n").framing());
        assertEquals(HttpResponse.Framing.MALFORMED,
                read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").framing());
        HttpResponse head = read("HTTP/1.1 200 OK\r\nContent-Type: text/pl");
        assertEquals(200, head.status());
        assertEquals(HttpResponse.Framing.CUT, head.framing());
    }

    @Test
    void skipsInterimResponsesAndKeepsTheFirstInterimStatus() throws Exception {
        HttpResponse r = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertEquals(200, r.status());
        assertEquals(100, r.interim());
        assertArrayEquals("ok".getBytes(), r.body());
        HttpResponse only = read("HTTP/1.1 100 Continue\r\n\r\n");
        assertEquals(HttpResponse.Framing.INTERIM_ONLY, only.framing());
        assertEquals(100, only.status());
        assertThrows(ResponseReader.MalformedResponseException.class,
                () -> read("HTTP/1.1 100 Continue\r\n\r\n".repeat(20)), "interim responses are bounded");
    }

    @Test
    void neverReadsABodyAfter101Or204Or304() throws Exception {
        // The content after the head would block a real socket; here it must simply be left unread.
        for (String head : new String[] {"HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified",
            "HTTP/1.1 101 Switching Protocols"}) {
            HttpResponse r = read(head + "\r\nContent-Length: 5\r\n\r\nhello");
            assertEquals(HttpResponse.Framing.NO_BODY, r.framing(), head);
            assertEquals(0, r.body().length, head);
        }
    }

    @Test
    void acceptsBareLineFeeds() throws Exception {
        HttpResponse r = read("HTTP/1.1 200 OK\nContent-Length: 2\nX-A: b\n\nok");
        assertEquals(200, r.status());
        assertEquals("b", r.header("x-a"));
        assertArrayEquals("ok".getBytes(), r.body());
        assertEquals(HttpResponse.Framing.COMPLETE, r.framing());
    }

    @Test
    void refusesHugeHeadsAndNonHttp() {
        assertThrows(ResponseReader.MalformedResponseException.class,
                () -> read("HTTP/1.1 200 OK\r\nX: " + "y".repeat(ResponseReader.MAX_HEAD) + "\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("SSH-2.0\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("HTTP/1.1 2x0 OK\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("HTTP/1.1 2000 OK\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("HTTP/1.1 20"));
    }

    @Test
    void noByteAtAllIsAnEndOfStream() {
        assertThrows(EOFException.class, () -> read(""));
    }
}
