package dev.mtlsprobe.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/** A loopback TCP server that hands each connection to a handler on its own thread. */
abstract class DemoServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DemoServer.class);

    private final String name;
    private final ServerSocket server;
    private final ExecutorService threads;

    DemoServer(String name) throws IOException {
        this.name = name;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        this.threads = DemoHttp.threads("demo-" + name);
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Serves one connection; the socket is closed afterwards unless the handler already did. */
    abstract void handle(Socket socket) throws IOException;

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;
            }
            threads.execute(() -> {
                try {
                    s.setSoTimeout(10_000);
                    handle(s);
                } catch (IOException e) {
                    LOG.debugf("demo %s: %s", name, e.getMessage());
                } finally {
                    DemoHttp.closeQuietly(s);
                }
            });
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
