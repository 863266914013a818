package dev.mo.security;

import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An agent with only a join token dials the server: real handshakes on 127.0.0.1. */
class PinnedCaTrustTest extends ClusterFixture {
    @Test
    void theRightFingerprintJoinsAndYieldsTheCa() throws Exception {
        PinnedCaTrust trust = new PinnedCaTrust(ca.fingerprint(), "127.0.0.1");
        assertEquals(Optional.empty(), trust.caCertificate());

        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(trust.context());
            assertEquals(Optional.empty(), c.nodeSeen(), "a joining agent has no node certificate yet");
        }
        assertEquals(Optional.of(ca.certificate()), trust.caCertificate());
    }

    @Test
    void aDnsNameInTheCertificateMatchesToo() throws Exception {
        JoinToken token = JoinToken.create(ca.fingerprint(), new SecureRandom());
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(PinnedCaTrust.forToken(token, "MO.example.com").context(), "MO.example.com");
        }
    }

    @Test
    void aWrongFingerprintFailsWithAClearMessage() throws Exception {
        String other = "9b1c".repeat(16);
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dialFails(new PinnedCaTrust(other, "127.0.0.1").context(), "127.0.0.1",
                    "server's CA fingerprint " + ca.fingerprint() + " does not match the join token's " + other);
        }
    }

    @Test
    void aForgedChainWithTheRealCaCopiedInFails() throws Exception {
        // The impostor has its own CA and key, and sends the real (public) CA certificate after its own.
        ClusterCa impostorCa = ClusterCa.loadOrCreate(dir.resolve("impostor"), Clock.systemUTC());
        ServerCredentials impostor = impostorCa.serverCredentials(List.of());
        SSLContext forged = TrustedCa.serverContext(ca.certificate(), impostor.key(), impostor.certificate());

        PinnedCaTrust trust = new PinnedCaTrust(ca.fingerprint(), "127.0.0.1");
        try (OneConnection c = OneConnection.serve(forged)) {
            c.dialFails(trust.context(), "127.0.0.1", "server's certificate is not signed by the CA the join token names");
        }
        assertEquals(Optional.empty(), trust.caCertificate());
    }

    @Test
    void aServerThatSendsNoCaCertificateFails() throws Exception {
        SSLContext leafOnly = TrustedCa.tls(new KeyManager[] {new SingleKeyManager(server.key(), server.certificate())}, null);
        try (OneConnection c = OneConnection.serve(leafOnly)) {
            c.dialFails(new PinnedCaTrust(ca.fingerprint(), "127.0.0.1").context(), "127.0.0.1",
                    "server sent no CA certificate in its chain");
        }
    }

    @Test
    void aHostTheCertificateDoesNotNameFails() throws Exception {
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dialFails(new PinnedCaTrust(ca.fingerprint(), "10.9.9.9").context(), "10.9.9.9",
                    "server's certificate is for [mo.example.com, localhost, 127.0.0.1], not for 10.9.9.9, the host dialled");
        }
    }

    @Test
    void aNodesClientCertificateCannotPassForTheServer() throws Exception {
        // A node's client certificate comes from the same CA, but is not for serving.
        TestNode node = TestNode.join(ca, "worker-1", Duration.ofDays(1));
        SSLContext posing = TrustedCa.serverContext(ca.certificate(), node.clientKeys().getPrivate(),
                node.credentials().clientCertificate());
        try (OneConnection c = OneConnection.serve(posing)) {
            c.dialFails(new PinnedCaTrust(ca.fingerprint(), "127.0.0.1").context(), "127.0.0.1",
                    "server's certificate is not for serving");
        }
    }

    @Test
    void anExpiredServerCertificateFails() throws Exception {
        Instant later = server.certificate().getNotAfter().toInstant().plusSeconds(60);
        PinnedCaTrust trust = new PinnedCaTrust(ca.fingerprint(), "127.0.0.1", ClusterCaTest.at(later));
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dialFails(trust.context(), "127.0.0.1", "server's certificate is valid only from");
        }
        assertTrue(trust.caCertificate().isEmpty());
    }
}
