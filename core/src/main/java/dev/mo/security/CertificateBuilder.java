package dev.mo.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * One X.509 certificate to be made: a CA ({@link #ca}) or a leaf for one purpose ({@link #leaf}).
 * The JDK reads certificates but cannot make them, so this wraps BouncyCastle's builder.
 */
final class CertificateBuilder {
    private static final SecureRandom SERIALS = new SecureRandom();

    private final X500Name subject;
    private final PublicKey publicKey;
    private final Instant notBefore;
    private final Instant notAfter;
    private final KeyPurposeId purpose; // null for a CA
    private List<String> sans = List.of();

    private CertificateBuilder(X500Name subject, PublicKey publicKey, Instant notBefore, Instant notAfter,
                               KeyPurposeId purpose) {
        this.subject = subject;
        this.publicKey = publicKey;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.purpose = purpose;
    }

    /** A CA certificate: it may sign others (keyCertSign, cRLSign), and nothing else. */
    static CertificateBuilder ca(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter) {
        return new CertificateBuilder(subject, key, notBefore, notAfter, null);
    }

    /** A leaf certificate for one purpose: {@code id_kp_serverAuth} or {@code id_kp_clientAuth}. */
    static CertificateBuilder leaf(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter,
                                   KeyPurposeId purpose) {
        return new CertificateBuilder(subject, key, notBefore, notAfter, purpose);
    }

    static X500Name commonName(String cn) {
        return new X500Name("CN=" + cn);
    }

    /** The IP addresses and DNS names a serving certificate is for. */
    CertificateBuilder sans(List<String> sans) {
        this.sans = List.copyOf(sans);
        return this;
    }

    /** The CA's own certificate: it signs itself. */
    X509Certificate selfSigned(PrivateKey key) {
        return sign(subject, null, key);
    }

    X509Certificate signedBy(X509Certificate issuer, PrivateKey issuerKey) {
        return sign(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()), issuer, issuerKey);
    }

    private X509Certificate sign(X500Name issuerName, X509Certificate issuer, PrivateKey issuerKey) {
        // A random 128-bit serial: unique without a counter to keep, and not guessable (RFC 5280 wants positive).
        BigInteger serial = new BigInteger(128, SERIALS).setBit(127);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                issuerName, serial, Date.from(notBefore), Date.from(notAfter), subject, publicKey);
        try {
            JcaX509ExtensionUtils ids = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(publicKey));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuer));
            }
            if (purpose == null) {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (!sans.isEmpty()) b.addExtension(Extension.subjectAlternativeName, false, SubjectAltNames.of(sans));
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(Keys.SIGNATURE_ALGORITHM).build(issuerKey)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a certificate for " + subject, e);
        }
    }
}
