import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's load-bearing helpers, one process each (so their CPU never counts against a measured tool):
 *
 * <pre>
 *   java BenchTool.java target PORT_FILE MAX_SECONDS
 *       two listeners on 127.0.0.1, their ports written to PORT_FILE as "ECHO HANG":
 *       ECHO is an httpbin-like echo (GET anything: {"headers": {...}}, Connection: close);
 *            GET /__count answers the echo requests served so far, GET /__hung the connections HANG
 *            accepted so far (neither is counted itself);
 *       HANG accepts every connection, reads and discards what comes, never answers, and closes only
 *            when the client does: a target that hangs every attempt until the client's timeout
 *   java BenchTool.java drive BLACKBOX_HOST:PORT TARGET_URL TARGETS INTERVAL_MS SECONDS MODULE
 *       drives blackbox_exporter like Prometheus would: TARGETS scrapes of /probe, each on its own
 *       fixed-rate schedule spread over the interval, keep-alive to the exporter, never two at once per target
 *   java BenchTool.java scrape URL COUNT GAP_MS WARMUP
 *       times COUNT sequential GETs of URL (after WARMUP untimed ones) with Prometheus' Accept header;
 *       a failed GET is counted and reported, never retried or hidden
 * </pre>
 *
 * Every mode is bounded in time and talks to 127.0.0.1 only.
 */
public final class BenchTool {

    public static void main(String[] args) throws Exception {
        switch (args.length == 0 ? "" : args[0]) {
            case "target" -> target(Path.of(args[1]), Long.parseLong(args[2]));
            case "drive" -> drive(args[1], args[2], Integer.parseInt(args[3]), Long.parseLong(args[4]),
                    Long.parseLong(args[5]), args[6]);
            case "scrape" -> scrape(args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                    Integer.parseInt(args[4]));
            default -> {
                System.err.println("usage: BenchTool target|drive|scrape ... (see the class comment)");
                System.exit(2);
            }
        }
    }

    // ---- target: a small, fast echo server ------------------------------------------------------------

    private static final AtomicLong SERVED = new AtomicLong();
    private static final AtomicLong HUNG = new AtomicLong();

    static void target(Path portFile, long maxSeconds) throws IOException {
        ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        ServerSocketChannel hang = ServerSocketChannel.open();
        hang.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        Selector selector = Selector.open();
        hang.configureBlocking(false);
        hang.register(selector, SelectionKey.OP_ACCEPT);
        daemon(() -> hang(selector), "hang").start();
        // Written last and whole: the reader polls for the file and must never see half of it.
        Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
        Files.writeString(tmp, server.getLocalPort() + " " + hang.socket().getLocalPort());
        Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        exitAfter(maxSeconds);
        // Blocking sockets on a fixed pool: each exchange is a few microseconds of work, so a handful of
        // threads serve thousands of connections a second without becoming the bottleneck.
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> daemon(r, "echo"));
        while (true) {
            Socket s = server.accept();
            pool.execute(() -> serve(s));
        }
    }

    private static void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            String head = readHead(s.getInputStream());
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String path = requestLine.length > 1 ? requestLine[1] : "/";
            String body;
            if (path.equals("/__count")) {
                body = SERVED.get() + "\n";
            } else if (path.equals("/__hung")) {
                body = HUNG.get() + "\n";
            } else {
                SERVED.incrementAndGet();
                StringBuilder json = new StringBuilder("{\n  \"headers\": {");
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    json.append(i == 1 ? "\n    " : ",\n    ").append(quote(canonical(lines[i].substring(0, colon).trim())))
                            .append(": ").append(quote(lines[i].substring(colon + 1).trim()));
                }
                body = json.append("\n  }\n}\n").toString();
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b);
            out.flush();
            // Closing first puts TIME_WAIT on the server side, so clients do not run out of ephemeral ports.
        } catch (IOException e) {
            // a client that gave up: nothing to do
        }
    }

    /**
     * One selector thread holds every hung connection (thousands at once at 5,000 targets), so the target
     * never runs out of threads before the probe does.
     */
    private static void hang(Selector selector) {
        ByteBuffer discard = ByteBuffer.allocate(16384);
        try {
            while (true) {
                selector.select();
                for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.isAcceptable()) {
                        SocketChannel c;
                        while ((c = ((ServerSocketChannel) key.channel()).accept()) != null) {
                            HUNG.incrementAndGet();
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        int r;
                        try {
                            discard.clear();
                            r = c.read(discard);
                        } catch (IOException e) {
                            r = -1; // reset by the client that gave up
                        }
                        if (r < 0) {
                            key.cancel();
                            c.close();
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("BenchTool: the hanging listener failed: " + e);
            System.exit(4);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        byte[] buf = new byte[16384];
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return null;
            }
            n += r;
            for (int i = Math.max(0, n - r - 3); i + 3 < n; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
                    return new String(buf, 0, i, StandardCharsets.ISO_8859_1);
                }
            }
        }
        return null;
    }

    /** httpbin shows header names in canonical form (x-forwarded-client-cert → X-Forwarded-Client-Cert). */
    private static String canonical(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean up = true;
        for (char c : name.toCharArray()) {
            sb.append(up ? Character.toUpperCase(c) : Character.toLowerCase(c));
            up = c == '-';
        }
        return sb.toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    // ---- drive: blackbox_exporter at a fixed attempt rate ---------------------------------------------

    static void drive(String blackbox, String targetUrl, int targets, long intervalMs, long seconds, String module)
            throws InterruptedException {
        exitAfter(seconds + 30);
        ExecutorService io = Executors.newFixedThreadPool(2, r -> daemon(r, "http"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io)
                .connectTimeout(Duration.ofSeconds(2)).build();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "timer"));
        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        long period = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        for (int i = 0; i < targets; i++) {
            // Distinct targets, as Prometheus would have them; the echo ignores the query.
            String target = targetUrl + (targetUrl.contains("?") ? "&" : "?") + "t=" + i;
            URI uri = URI.create("http://" + blackbox + "/probe?module=" + module + "&target="
                    + URLEncoder.encode(target, StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("X-Prometheus-Scrape-Timeout-Seconds", "10").build();
            AtomicBoolean busy = new AtomicBoolean();
            timer.scheduleAtFixedRate(() -> {
                if (!busy.compareAndSet(false, true)) {
                    skipped.incrementAndGet();
                    return;
                }
                sent.incrementAndGet();
                client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    busy.set(false);
                    if (e != null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else if (r.body().contains("\nprobe_success 1")) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }, period * i / targets, period, TimeUnit.NANOSECONDS);
        }
        Thread.sleep(seconds * 1000);
        timer.shutdownNow();
        Thread.sleep(2500); // let the last probes finish
        System.out.printf(Locale.ROOT, "sent=%d ok=%d probe_failed=%d errors=%d skipped=%d%n", sent.get(), ok.get(),
                failed.get(), errors.get(), skipped.get());
        System.exit(0);
    }

    // ---- scrape: /q/metrics latency -------------------------------------------------------------------

    static void scrape(String url, int count, long gapMs, int warmup) throws Exception {
        // Every GET ends within its 10 s timeout (Prometheus' default scrape_timeout), so this bound always holds.
        exitAfter((warmup + count) * (gapMs / 1000 + 11) + 30);
        URI uri = URI.create(url);
        // A lean client on one keep-alive connection, as Prometheus scrapes: the time measured is the
        // server's, not a heavyweight client's. Prometheus 2.x sends this Accept header.
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n"
                + "User-Agent: mtls-probe-bench\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new byte[64 << 20];
        List<Double> millis = new ArrayList<>();
        long bytes = 0;
        long series = 0;
        int failed = 0;
        String firstError = null;
        Socket s = null;
        InputStream in = null;
        for (int i = 0; i < warmup + count; i++) {
            long t0 = System.nanoTime();
            try {
                if (s == null) { // the first GET, or a new connection after a failed one, as Prometheus would
                    s = new Socket(uri.getHost(), uri.getPort());
                    s.setSoTimeout(10_000);
                    s.setTcpNoDelay(true);
                    in = new java.io.BufferedInputStream(s.getInputStream(), 1 << 16);
                }
                int length = get(in, s.getOutputStream(), request, body, url);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (i >= warmup) {
                    millis.add(ms);
                    bytes = length;
                    series = new String(body, 0, length, StandardCharsets.UTF_8).lines()
                            .filter(l -> !l.isEmpty() && l.charAt(0) != '#').count();
                }
            } catch (IOException e) {
                if (i >= warmup) {
                    failed++;
                    if (firstError == null) {
                        firstError = e.toString().replace('\n', ' ');
                    }
                }
                if (s != null) {
                    s.close();
                    s = null;
                }
            }
            Thread.sleep(gapMs);
        }
        if (s != null) {
            s.close();
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "n=%d ok=%d failed=%d p50=%.2f p99=%.2f max=%.2f bytes=%d series=%d%n", count,
                sorted.length, failed, percentile(sorted, 50), percentile(sorted, 99),
                sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], bytes, series);
        if (firstError != null) {
            System.out.println("error: " + firstError);
        }
    }

    /** One GET on a keep-alive connection, the body read whole into {@code body}; returns its length. */
    private static int get(InputStream in, OutputStream out, byte[] request, byte[] body, String url)
            throws IOException {
        out.write(request);
        out.flush();
        String head = readResponseHead(in);
        if (head == null || !head.startsWith("HTTP/1.1 200")) {
            throw new IOException("GET " + url + " answered: " + (head == null ? "nothing (connection closed)"
                    : head.lines().findFirst().orElse("")));
        }
        int length = -1;
        boolean chunked = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) { // /q/metrics streams its exposition in chunks: the time to the last chunk is the scrape's
            return readChunked(in, body, url);
        }
        if (length < 0 || length > body.length) {
            throw new IOException("GET " + url + ": no usable Content-Length in " + head.strip());
        }
        readFully(in, body, 0, length);
        return length;
    }

    private static int readChunked(InputStream in, byte[] body, String url) throws IOException {
        int total = 0;
        while (true) {
            String sizeLine = readLine(in);
            int size;
            try {
                size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) { // counted as a failed scrape like any other broken answer, never a crash of the client
                throw new IOException("GET " + url + ": not a chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers: none expected, skipped up to the blank line that ends the message
                }
                return total;
            }
            if (total + size > body.length) {
                throw new IOException("GET " + url + ": body over " + body.length + " bytes");
            }
            readFully(in, body, total, size);
            total += size;
            if (!readLine(in).isEmpty()) {
                throw new IOException("GET " + url + ": no CRLF after a chunk");
            }
        }
    }

    private static void readFully(InputStream in, byte[] body, int off, int length) throws IOException {
        for (int n = 0; n < length;) {
            int r = in.read(body, off + n, length - n);
            if (r < 0) {
                throw new IOException("connection closed inside the body");
            }
            n += r;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(16);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || sb.length() > 1024) {
                throw new IOException("connection closed or an endless line inside a chunked body");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    /** Byte by byte (the stream is buffered), so that nothing of the body is consumed. */
    private static String readResponseHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        int matched = 0;
        while (matched < 4 && sb.length() < 65536) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            sb.append((char) b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return sb.toString();
    }

    /** Nearest-rank percentile; NaN when there is no value. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ---- plumbing -------------------------------------------------------------------------------------

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Every helper ends by itself, even if the script that started it died without cleaning up. */
    private static void exitAfter(long seconds) {
        Thread t = daemon(() -> {
            try {
                Thread.sleep(seconds * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("BenchTool: time limit of " + seconds + " s reached, exiting");
            System.exit(3);
        }, "deadline");
        t.start();
    }

    private BenchTool() {
    }
}
