package dev.mo.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How an agent that has only a join token trusts the server the first time: by the CA's
 * fingerprint in the token, as k3s agents do. There is no {@code ca.crt} on the agent yet, so the
 * server sends its CA certificate in the chain, and this accepts the server only if
 * <ol>
 *   <li>the chain holds a certificate whose SHA-256 is the token's fingerprint (the pinned CA),</li>
 *   <li>the server's own certificate is signed by that CA (copying the real CA certificate into a
 *       forged chain does not help an impostor: it cannot sign with the CA's key),</li>
 *   <li>it is valid now and for serving (serverAuth), and</li>
 *   <li>it names the host the agent dialled, as an IP address or DNS subjectAltName.</li>
 * </ol>
 * After a handshake that passed, {@link #caCertificate()} is the CA to save as {@code ca.crt}: from
 * then on the agent uses {@link TrustedCa}. One instance is for one server and host.
 */
public final class PinnedCaTrust implements X509TrustManager {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private final String fingerprint;
    private final String host;
    private final Clock clock;
    private volatile X509Certificate pinnedCa;

    /** Trusts the server at {@code host} (as dialled: an IP address or DNS name) if its CA has {@code caFingerprint}. */
    public PinnedCaTrust(String caFingerprint, String host) {
        this(caFingerprint, host, Clock.systemUTC());
    }

    PinnedCaTrust(String caFingerprint, String host, Clock clock) {
        this.fingerprint = caFingerprint.toLowerCase(Locale.ROOT);
        this.host = host;
        this.clock = clock;
    }

    public static PinnedCaTrust forToken(JoinToken token, String host) {
        return new PinnedCaTrust(token.caFingerprint(), host);
    }

    /** A client TLS context that trusts through this manager and presents no certificate. */
    public SSLContext context() {
        return TrustedCa.tls(null, new TrustManager[] {this});
    }

    /** The pinned CA's certificate once a server has passed; empty before. */
    public Optional<X509Certificate> caCertificate() {
        return Optional.ofNullable(pinnedCa);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) throw new CertificateException("server sent no certificate");
        X509Certificate ca = pinned(chain);
        X509Certificate leaf = chain[0];
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("server's certificate is not signed by the CA the join token names ("
                    + fingerprint + ")");
        }
        checkValidNow(ca, "CA");
        checkValidNow(leaf, "server's");
        if (!forServing(leaf)) throw new CertificateException("server's certificate is not for serving (no serverAuth)");
        if (!SubjectAltNames.covers(leaf, host)) {
            throw new CertificateException("server's certificate is for " + SubjectAltNames.list(leaf)
                    + ", not for " + host + ", the host dialled");
        }
        pinnedCa = ca;
    }

    /** The certificate in the chain with the token's fingerprint, or the reason there is none. */
    private X509Certificate pinned(X509Certificate[] chain) throws CertificateException {
        for (X509Certificate c : chain) {
            if (Fingerprint.sha256(c).equals(fingerprint)) return c;
        }
        if (chain.length == 1) {
            throw new CertificateException("server sent no CA certificate in its chain to match the join token's "
                    + fingerprint);
        }
        throw new CertificateException("server's CA fingerprint " + Fingerprint.sha256(chain[chain.length - 1])
                + " does not match the join token's " + fingerprint);
    }

    private void checkValidNow(X509Certificate certificate, String whose) throws CertificateException {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new CertificateException(whose + " certificate is valid only from " + certificate.getNotBefore().toInstant()
                    + " to " + certificate.getNotAfter().toInstant() + ", not now (" + clock.instant() + ")");
        }
    }

    private static boolean forServing(X509Certificate certificate) {
        try {
            List<String> purposes = certificate.getExtendedKeyUsage();
            return purposes == null || purposes.contains(SERVER_AUTH); // no extension: any purpose
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a pinned-CA trust manager checks servers only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
