package dev.mo.security;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * Presents one key and certificate chain, always. The JDK's own key managers would hold back a
 * client certificate whose issuer the server did not list; mo wants the server to see it and
 * refuse it out loud instead of taking the client for an anonymous one.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "mo";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, X509Certificate... chain) {
        this.key = key;
        this.chain = chain.clone();
    }

    /** Our alias when the handshake asks for a key of our key's type ("EC"), else none. */
    private String aliasFor(String... keyTypes) {
        return Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
    }

    @Override public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) { return aliasFor(keyTypes); }
    @Override public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) { return aliasFor(keyTypes); }
    @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) { return aliasFor(keyType); }
    @Override public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) { return aliasFor(keyType); }
    @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {ALIAS}; }
    @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return new String[] {ALIAS}; }
    @Override public X509Certificate[] getCertificateChain(String alias) { return ALIAS.equals(alias) ? chain.clone() : null; }
    @Override public PrivateKey getPrivateKey(String alias) { return ALIAS.equals(alias) ? key : null; }
}
