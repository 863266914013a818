package dev.mo.security;

import javax.net.ssl.SSLContext;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/** An agent that has joined: its two key pairs (kept on the node) and what the CA signed for it. */
record TestNode(KeyPair clientKeys, KeyPair servingKeys, NodeCredentials credentials) {
    static TestNode join(ClusterCa ca, String name, Duration validity) {
        KeyPair client = Keys.newKeyPair();
        KeyPair serving = Keys.newKeyPair();
        NodeCredentials credentials = ca.signNode(name, Csr.forNode(client, name), Csr.forNode(serving, name),
                List.of("127.0.0.1", name + ".nodes.example"), validity);
        return new TestNode(client, serving, credentials);
    }

    /** How the node calls the server (or anyone trusting the cluster CA) from then on. */
    SSLContext clientContext() {
        return TrustedCa.clientContext(credentials.caCertificate(), clientKeys.getPrivate(),
                credentials.clientCertificate());
    }

    /** How the node serves its own HTTPS endpoint. */
    SSLContext servingContext() {
        return TrustedCa.serverContext(credentials.caCertificate(), servingKeys.getPrivate(),
                credentials.servingCertificate());
    }
}
