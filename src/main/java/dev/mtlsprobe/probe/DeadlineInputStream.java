package dev.mtlsprobe.probe;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Enforces one deadline across all reads of an attempt: a peer that drips one byte a second cannot stretch
 * the attempt past its timeout, which a per-read socket timeout alone would allow. (The {@link Watchdog} is the
 * backstop for what is not a read; this makes a read end exactly at the deadline with a timeout, not a close.)
 */
final class DeadlineInputStream extends FilterInputStream {

    private final Socket socket;
    private final Deadline deadline;

    DeadlineInputStream(Socket socket, InputStream in, Deadline deadline) {
        super(in);
        this.socket = socket;
        this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
        arm();
        return super.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        arm();
        return super.read(b, off, len);
    }

    private void arm() throws IOException {
        if (deadline.expired()) {
            throw new SocketTimeoutException("deadline reached");
        }
        socket.setSoTimeout(deadline.millisLeft());
    }
}
