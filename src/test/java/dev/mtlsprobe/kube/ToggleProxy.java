package dev.mtlsprobe.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on 127.0.0.1 in front of the mock API server that can be cut, the way an API server that went
 * away looks to a client: open connections are reset and new ones refused (nothing listens). It comes back on
 * the same port, so the client's configuration does not change and recovery is the client's own.
 */
final class ToggleProxy implements AutoCloseable {

    private final int port;
    private final int upstream;
    private volatile ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "toggle-proxy");
        t.setDaemon(true);
        return t;
    });

    ToggleProxy(int upstream) throws IOException {
        this.upstream = upstream;
        this.server = listen(0);
        this.port = server.getLocalPort();
        ServerSocket s = server;
        pool.execute(() -> accept(s));
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true); // come back on the port at once, whatever TIME_WAIT the resets left
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return s;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void down() throws IOException {
        server.close();
        open.forEach(ToggleProxy::reset);
    }

    void up() throws IOException {
        ServerSocket s = listen(port);
        server = s;
        pool.execute(() -> accept(s));
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), upstream);
                open.add(client);
                open.add(target);
                pool.execute(() -> pump(client, target));
                pool.execute(() -> pump(target, client));
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException ignored) {
            // one side went away; the other pump ends too
        } finally {
            reset(from);
            reset(to);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(ToggleProxy::reset);
        pool.shutdownNow();
    }
}
