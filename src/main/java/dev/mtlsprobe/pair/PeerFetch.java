package dev.mtlsprobe.pair;

import dev.mtlsprobe.model.Sanitize;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * One GET of the peer's status, bounded like everything else that reads the network: the whole exchange ends by
 * the timeout (a peer dripping bytes is cut off), at most {@code maxBytes} are read (before and after
 * decompression), and anything but a 200 or a 304 is a problem, said in one sanitised sentence.
 */
final class PeerFetch {

    /** A fresh body with its ETag, a 304, or why neither. */
    record Result(byte[] body, String etag, boolean notModified, String problem) {
        static Result problem(String why) {
            return new Result(null, null, false, why);
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message, null);
        }
    }

    private final HttpClient client;
    private final URI url;
    private final Duration timeout;
    private final int maxBytes;
    private final String userAgent;

    PeerFetch(URI url, Duration timeout, int maxBytes, String userAgent) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.url = url;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.userAgent = userAgent;
    }

    Result get(String etag) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET()
                .header("Accept", "application/json").header("Accept-Encoding", "gzip").header("User-Agent", userAgent);
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        Future<HttpResponse<byte[]>> pending = client.sendAsync(request.build(), info -> body(info.statusCode(),
                info.headers().firstValueAsLong("content-length").orElse(-1)));
        try {
            HttpResponse<byte[]> r = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r.statusCode() == 304) {
                return new Result(null, etag, true, null);
            }
            if (r.statusCode() != 200) {
                return Result.problem("it answered HTTP " + r.statusCode());
            }
            String encoding = r.headers().firstValue("content-encoding").orElse("identity");
            byte[] body = switch (encoding) {
                case "gzip" -> gunzip(r.body());
                case "identity" -> r.body();
                default -> throw new IOException("unknown content encoding " + Sanitize.text(encoding, 40));
            };
            return new Result(body, r.headers().firstValue("etag").map(t -> Sanitize.text(t, 200)).orElse(null),
                    false, null);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return Result.problem("no complete answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Result.problem(describe(e.getCause()));
        } catch (IOException e) {
            return Result.problem(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            return Result.problem("interrupted");
        }
    }

    /** Only a 200 body is kept, and only up to the limit; anything else is drained and dropped. */
    private BodySubscriber<byte[]> body(int status, long contentLength) {
        if (status != 200) {
            return HttpResponse.BodySubscribers.replacing(new byte[0]);
        }
        if (contentLength > maxBytes) {
            return failing(new TooLarge("the answer announces " + contentLength + " bytes, over the limit of "
                    + maxBytes));
        }
        return new Bounded(maxBytes);
    }

    private static BodySubscriber<byte[]> failing(IOException e) {
        Bounded b = new Bounded(0);
        b.result.completeExceptionally(e);
        return b;
    }

    private byte[] gunzip(byte[] compressed) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(compressed))) {
            byte[] out = in.readNBytes(maxBytes + 1);
            if (out.length > maxBytes) {
                throw new TooLarge("the answer inflates to more than " + maxBytes + " bytes");
            }
            return out;
        }
    }

    private String describe(Throwable e) {
        if (e instanceof TooLarge) {
            return e.getMessage();
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within the timeout";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            // The client's own request timeout and the wait below end at the same moment: one sentence for both.
            return "no complete answer within " + timeout.toMillis() + " ms";
        }
        if (e instanceof ConnectException) {
            return e.getMessage() == null ? "the connection was refused"
                    : "the connection failed (" + Sanitize.text(e.getMessage(), 100) + ")";
        }
        if (e instanceof java.nio.channels.UnresolvedAddressException) {
            return "its host name did not resolve";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "the exchange failed: " + Sanitize.text(m, 160);
    }

    /** Collects at most {@code max} bytes; one byte more cancels the exchange. */
    private static final class Bounded implements BodySubscriber<byte[]> {
        final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int max;
        private Flow.Subscription subscription;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge("the answer exceeds the limit of " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable e) {
            result.completeExceptionally(e);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
