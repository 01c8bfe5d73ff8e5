package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {

    static HttpResponse read(String raw) throws Exception {
        return new ResponseReader(new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1))).read();
    }

    @Test
    void decodesChunkedBodies() throws Exception {
        HttpResponse r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        assertEquals(200, r.status());
        assertArrayEquals("hello world".getBytes(), r.body());
        assertFalse(r.truncated());
    }

    @Test
    void readsCloseDelimitedBodiesAndLowerCasesHeaders() throws Exception {
        HttpResponse r = read("HTTP/1.0 404 Not Found\r\nX-Thing: A\r\n\r\nnope");
        assertEquals(404, r.status());
        assertEquals("A", r.header("x-thing"));
        assertArrayEquals("nope".getBytes(), r.body());
    }

    @Test
    void stopsAtTheBodyLimit() throws Exception {
        String body = "x".repeat(ResponseReader.MAX_BODY + 10);
        HttpResponse r = read("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(ResponseReader.MAX_BODY, r.body().length);
        assertTrue(r.truncated());
    }

    @Test
    void refusesHugeHeadsAndNonHttp() {
        assertThrows(ResponseReader.MalformedResponseException.class,
                () -> read("HTTP/1.1 200 OK\r\nX: " + "y".repeat(ResponseReader.MAX_HEAD) + "\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("SSH-2.0\r\n\r\n"));
        assertThrows(ResponseReader.MalformedResponseException.class, () -> read("HTTP/1.1 2x0 OK\r\n\r\n"));
    }

    @Test
    void noByteAtAllIsAnEndOfStream() {
        assertThrows(EOFException.class, () -> read(""));
    }
}
