package dev.mtlsprobe.metrics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams text to an HTTP response in chunks, waiting while the client is slower than the writer: a scrape of
 * 5,000 targets (15 MB of text) holds one chunk and the response's write queue in memory, not the whole answer.
 */
final class ResponseWriter extends Writer {

    private static final int CHUNK = 32 * 1024;
    private static final long DRAIN_SECONDS = 30; // a client that reads nothing for this long is gone

    private final HttpServerResponse response;
    private final StringBuilder buffer = new StringBuilder(CHUNK + 1024);

    ResponseWriter(HttpServerResponse response) {
        this.response = response;
        response.setWriteQueueMaxSize(2 * CHUNK);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        buffer.append(cbuf, off, len);
        if (buffer.length() >= CHUNK) {
            flush();
        }
    }

    @Override
    public Writer append(CharSequence csq) throws IOException {
        buffer.append(csq);
        if (buffer.length() >= CHUNK) {
            flush();
        }
        return this;
    }

    @Override
    public void flush() throws IOException {
        if (buffer.length() == 0) {
            return;
        }
        Buffer chunk = Buffer.buffer(buffer.toString().getBytes(StandardCharsets.UTF_8));
        buffer.setLength(0);
        if (response.closed()) {
            throw new IOException("the client went away");
        }
        response.write(chunk);
        if (response.writeQueueFull()) {
            awaitDrain();
        }
    }

    private void awaitDrain() throws IOException {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        response.drainHandler(v -> drained.complete(null));
        response.closeHandler(v -> drained.complete(null));
        if (!response.writeQueueFull()) {
            return; // drained between the write and the handler
        }
        try {
            drained.get(DRAIN_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("scrape interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the client stopped reading", e);
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
