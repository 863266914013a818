package dev.mo.api;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RenegotiationRequiredException;
import io.undertow.server.SSLSessionInfo;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;

/**
 * The certificate chain the TLS handshake verified for the client of an exchange (the API's
 * and an agent's endpoint both ask for one); the caller decides who that chain stands for
 * ({@link dev.mo.security.NodeIdentity}).
 */
public final class TlsPeer {
    private TlsPeer() {}

    /** The client's verified chain, or null: plain HTTP, or a client that showed no certificate. */
    public static Certificate[] certificates(HttpServerExchange ex) {
        SSLSessionInfo ssl = ex.getConnection().getSslSessionInfo();
        if (ssl == null) return null;
        try {
            return ssl.getPeerCertificates();
        } catch (SSLPeerUnverifiedException | RenegotiationRequiredException noCertificate) {
            return null;
        }
    }
}
