package dev.mtlsprobe.demo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocket;

/**
 * The inbound sidecar in front of the demo httpbin, behaving like Envoy under a PeerAuthentication: in STRICT
 * a plaintext connection is reset without a byte of response, TLS without a client certificate is refused,
 * and mTLS is forwarded with an {@code X-Forwarded-Client-Cert} that replaces any the client sent. In
 * PERMISSIVE plaintext passes through too, without XFCC.
 */
final class ServerSidecar extends DemoServer {

    private static final int TLS_HANDSHAKE = 0x16;

    private final DemoPki.Identity identity;
    private final int appPort;
    private final Supplier<MeshPolicy> policy;

    ServerSidecar(DemoPki.Identity identity, int appPort, Supplier<MeshPolicy> policy) throws IOException {
        super("server-sidecar");
        this.identity = identity;
        this.appPort = appPort;
        this.policy = policy;
    }

    @Override
    void handle(Socket socket) throws IOException {
        int first = socket.getInputStream().read();
        if (first < 0) {
            return;
        }
        byte[] consumed = {(byte) first};
        DemoHttp.Head head;
        InputStream in;
        java.io.OutputStream out;
        if (first == TLS_HANDSHAKE) {
            SSLSocket tls = (SSLSocket) identity.context().getSocketFactory()
                    .createSocket(socket, new ByteArrayInputStream(consumed), true);
            tls.setUseClientMode(false);
            tls.setNeedClientAuth(true);
            tls.startHandshake(); // no or untrusted client certificate: the handshake fails and we close
            X509Certificate peer = (X509Certificate) tls.getSession().getPeerCertificates()[0];
            in = tls.getInputStream();
            out = tls.getOutputStream();
            head = DemoHttp.readHead(in, new byte[0]).with("X-Forwarded-Client-Cert", xfcc(peer));
        } else if (policy.get() == MeshPolicy.STRICT) {
            socket.setSoLinger(true, 0); // close with RST and no response, as Envoy does for plaintext
            socket.close();
            return;
        } else {
            in = socket.getInputStream();
            out = socket.getOutputStream();
            head = DemoHttp.readHead(in, consumed).without("X-Forwarded-Client-Cert");
        }
        try (Socket app = new Socket()) {
            app.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), appPort), 2_000);
            app.getOutputStream().write(head.with("Connection", "close").bytes());
            DemoHttp.pipe(app.getInputStream(), out);
        }
    }

    private String xfcc(X509Certificate peer) throws IOException {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(peer.getEncoded()));
            return "By=" + identity.spiffeId() + ";Hash=" + hash + ";Subject=\"\";URI=" + uriSan(peer);
        } catch (NoSuchAlgorithmException | java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    static String uriSan(X509Certificate cert) throws IOException {
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(6).equals(san.get(0))) { // 6 = uniformResourceIdentifier
                        return String.valueOf(san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new IOException(e);
        }
        throw new IOException("peer certificate has no URI SAN");
    }
}
