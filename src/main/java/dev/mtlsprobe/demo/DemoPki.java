package dev.mtlsprobe.demo;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo mesh's certificate authority, made fresh at every start and kept in memory: a CA and short-lived
 * leaf certificates whose only identity is a SPIFFE URI SAN, as Istio issues them.
 */
public final class DemoPki {

    /** A leaf: its identity, certificate and an SSL context that presents it and trusts only the demo CA. */
    public record Identity(String spiffeId, X509Certificate certificate, SSLContext context) {
    }

    private static final Duration LIFETIME = Duration.ofHours(24);

    private final KeyPair caKeys;
    private final X509Certificate caCert;
    private final SecureRandom random = new SecureRandom();

    public DemoPki() throws GeneralSecurityException {
        caKeys = keyPair();
        X500Name name = new X500Name("O=mtls-probe demo mesh,CN=demo root CA");
        X509v3CertificateBuilder b = builder(name, name, caKeys);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        caCert = sign(b, caKeys);
    }

    public X509Certificate caCertificate() {
        return caCert;
    }

    /** Issues a workload certificate for {@code spiffeId}, usable as TLS client and server. */
    public Identity issue(String spiffeId) throws GeneralSecurityException {
        KeyPair keys = keyPair();
        X509v3CertificateBuilder b = builder(new X500Name("O=mtls-probe demo mesh,CN=demo root CA"),
                new X500Name(new org.bouncycastle.asn1.x500.RDN[0]), keys);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            // Istio leaves the subject empty, so the SAN must be critical.
            b.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, spiffeId)));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        X509Certificate cert = sign(b, caKeys);
        return new Identity(spiffeId, cert, context(keys, cert));
    }

    private SSLContext context(KeyPair keys, X509Certificate cert) throws GeneralSecurityException {
        try {
            char[] pw = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("leaf", keys.getPrivate(), pw, new X509Certificate[] {cert, caCert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", caCert);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), random);
            return ctx;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, random).abs().add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LIFETIME)), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}
