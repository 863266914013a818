package dev.mo.security;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

/**
 * TLS contexts that trust exactly one CA, the cluster's, and nothing else (not the JDK's public
 * CAs): for every connection after a join. The CLI on the server's host and a joined agent call
 * the server with a client context; the server calls an agent's HTTPS endpoint with one too; the
 * server and each agent serve with a server context.
 *
 * <p>Contexts made here allow TLS 1.3 and 1.2 only (the JDK 17 default: 1.0 and 1.1 are
 * disabled in {@code java.security}). They check that a peer's certificate is signed by the CA
 * and valid now; the host name is checked where the caller turns that on, as TLS clients do:
 * {@code java.net.http.HttpClient} and {@code HttpsURLConnection} (with its default
 * {@code HostnameVerifier}) check the server certificate's subjectAltNames themselves; on a raw
 * {@code SSLSocket} or {@code SSLEngine} call
 * {@code params.setEndpointIdentificationAlgorithm("HTTPS")} before the handshake, or any
 * certificate from the cluster CA would pass for any host.
 */
public final class TrustedCa {
    private TrustedCa() {}

    /** Trusts the CA in {@code caCrt}; presents no certificate (the CLI with a bearer token, say). */
    public static SSLContext clientContext(Path caCrt) throws IOException {
        return clientContext(Pem.readCertificate(caCrt));
    }

    /** Trusts the CA in {@code caCrt} and proves itself with {@code clientCrt} and {@code clientKey} (a joined node). */
    public static SSLContext clientContext(Path caCrt, Path clientCrt, Path clientKey) throws IOException {
        return clientContext(Pem.readCertificate(caCrt), Pem.readPrivateKey(clientKey), Pem.readCertificate(clientCrt));
    }

    public static SSLContext clientContext(X509Certificate ca) {
        return context(null, ca);
    }

    public static SSLContext clientContext(X509Certificate ca, PrivateKey key, X509Certificate certificate) {
        return context(new KeyManager[] {new SingleKeyManager(key, certificate)}, ca);
    }

    /**
     * Serves with {@code key} and {@code certificate}, sending the CA certificate after it in the
     * chain (a joining agent finds the CA there and compares its fingerprint with the token's),
     * and accepts client certificates signed by {@code ca}. Whether clients must send one is the
     * caller's choice: {@code setWantClientAuth(true)} lets a joining agent in without one.
     */
    public static SSLContext serverContext(X509Certificate ca, PrivateKey key, X509Certificate certificate) {
        return context(new KeyManager[] {new SingleKeyManager(key, certificate, ca)}, ca);
    }

    private static SSLContext context(KeyManager[] keyManagers, X509Certificate ca) {
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trusted);
            return tls(keyManagers, trust.getTrustManagers());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /** A TLS context from these managers; the JDK's default protocols (1.3 and 1.2). */
    static SSLContext tls(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }
}
