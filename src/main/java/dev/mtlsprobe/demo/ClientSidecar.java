package dev.mtlsprobe.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSocket;

/**
 * The outbound sidecar of the demo's meshed probe: takes the probe's plaintext request, as Envoy does after
 * iptables redirected it, and sends it on over mutual TLS with the sidecar's own identity. When the upstream
 * cannot be reached or resets, it answers like Envoy: 503 {@code upstream connect error or disconnect/reset
 * before headers}.
 */
final class ClientSidecar extends DemoServer {

    private final DemoPki.Identity identity;
    private final int upstreamPort;

    ClientSidecar(DemoPki.Identity identity, int upstreamPort) throws IOException {
        super("client-sidecar");
        this.identity = identity;
        this.upstreamPort = upstreamPort;
    }

    @Override
    void handle(Socket socket) throws IOException {
        DemoHttp.Head head = DemoHttp.readHead(socket.getInputStream(), new byte[0]);
        OutputStream out = socket.getOutputStream();
        Socket raw = new Socket();
        java.io.PushbackInputStream upstream;
        try {
            raw.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2_000);
            raw.setSoTimeout(5_000);
            SSLSocket tls = (SSLSocket) identity.context().getSocketFactory()
                    .createSocket(raw, "localhost", upstreamPort, true);
            tls.startHandshake();
            ServerSidecar.uriSan((X509Certificate) tls.getSession().getPeerCertificates()[0]); // a mesh peer only
            tls.getOutputStream().write(head.with("Connection", "close").bytes());
            tls.getOutputStream().flush();
            upstream = new java.io.PushbackInputStream(tls.getInputStream(), 1);
            int first = upstream.read();
            if (first < 0) {
                throw new IOException("connection termination");
            }
            upstream.unread(first);
        } catch (IOException e) {
            DemoHttp.closeQuietly(raw);
            DemoHttp.respond(out, 503, "text/plain",
                    "upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
                            + "transport failure reason: " + e.getClass().getSimpleName());
            return;
        }
        try {
            DemoHttp.pipe(upstream, out); // once the response has begun, a failure can only cut it short
        } finally {
            DemoHttp.closeQuietly(raw);
        }
    }
}
