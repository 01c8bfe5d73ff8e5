package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.TargetSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Opens the one TCP connection of an attempt. In a pod this is always {@link #DIRECT}: the sidecar, if any,
 * captures the connection transparently. The demo mesh uses another dialer to model that capture.
 */
@FunctionalInterface
public interface Dialer {

    Socket connect(InetAddress address, TargetSpec target, int timeoutMillis) throws IOException;

    Dialer DIRECT = (address, target, timeoutMillis) -> open(new InetSocketAddress(address, target.port()),
            timeoutMillis);

    static Socket open(InetSocketAddress to, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(to, timeoutMillis);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
