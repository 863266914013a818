package dev.mo.security;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** The SHA-256 fingerprint of a certificate: what a join token pins the cluster's CA by. */
public final class Fingerprint {
    private Fingerprint() {}

    /** Lowercase hex of SHA-256 over the certificate's DER bytes, as {@code openssl x509 -fingerprint -sha256} (without colons). */
    public static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the SHA-256 of a certificate", e);
        }
    }
}
