package dev.mo.security;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** After the join: every connection is mutual TLS with the cluster CA as the one trusted CA. */
class MutualTlsTest extends ClusterFixture {
    @Test
    void aNodeCertificateIsAcceptedAndNamesTheNode() throws Exception {
        TestNode node = TestNode.join(ca, "worker-1", Duration.ofDays(365));
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(node.clientContext());
            assertEquals(Optional.of("worker-1"), c.nodeSeen());
        }
    }

    @Test
    void aClientWithoutACertificateIsNoNode() throws Exception {
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(TrustedCa.clientContext(dir.resolve("pki/ca.crt")));
            assertEquals(Optional.empty(), c.nodeSeen());
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRejectedAtTheHandshake() throws Exception {
        ClusterCa other = ClusterCa.loadOrCreate(dir.resolve("other"), Clock.systemUTC());
        TestNode stranger = TestNode.join(other, "worker-1", Duration.ofDays(365));
        var context = TrustedCa.clientContext(ca.certificate(), stranger.clientKeys().getPrivate(),
                stranger.credentials().clientCertificate());
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            assertThrows(IOException.class, () -> c.dial(context));
            assertThrows(SSLHandshakeException.class, c::nodeSeen);
        }
    }

    @Test
    void anExpiredNodeCertificateIsRejected() throws Exception {
        ClusterCa past = ClusterCa.loadOrCreate(dir.resolve("pki"), ClusterCaTest.at(Instant.now().minus(Duration.ofDays(30))));
        TestNode node = TestNode.join(past, "worker-1", Duration.ofDays(1));
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            assertThrows(IOException.class, () -> c.dial(node.clientContext()));
            assertThrows(SSLHandshakeException.class, c::nodeSeen);
        }
    }

    @Test
    void aCertificateWithoutTheNodesGroupNamesNoNode() throws Exception {
        KeyPair keys = Keys.newKeyPair();
        Instant now = Instant.now();
        var notANode = ca.issue(CertificateBuilder.leaf(CertificateBuilder.commonName("system:node:worker-1"),
                keys.getPublic(), now.minusSeconds(60), now.plusSeconds(3600), KeyPurposeId.id_kp_clientAuth));
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(TrustedCa.clientContext(ca.certificate(), keys.getPrivate(), notANode));
            assertEquals(Optional.empty(), c.nodeSeen());
        }
        assertEquals(Optional.empty(), NodeIdentity.nodeName(new Certificate[] {server.certificate()}));
    }

    @Test
    void theClientChecksTheServersHostName() throws Exception {
        var client = TrustedCa.clientContext(dir.resolve("pki/ca.crt"));
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dialFails(client, "other.example.com", "No subject alternative DNS name matching other.example.com");
        }
        try (OneConnection c = OneConnection.serve(ca.serverContext(server))) {
            c.dial(client, "localhost");
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsNotTrusted() throws Exception {
        ClusterCa other = ClusterCa.loadOrCreate(dir.resolve("other"), Clock.systemUTC());
        try (OneConnection c = OneConnection.serve(other.serverContext(other.serverCredentials(List.of())))) {
            // Both CAs are called CN=mo-ca, so the JDK finds a path by name and fails on its signature.
            c.dialFails(TrustedCa.clientContext(ca.certificate()), "127.0.0.1", "PKIX path");
        }
    }

    @Test
    void theServerCallsANodesHttpsEndpointWithTheNodesServingCertificate() throws Exception {
        TestNode node = TestNode.join(ca, "worker-1", Duration.ofDays(365));
        try (OneConnection c = OneConnection.serve(node.servingContext())) {
            c.dial(TrustedCa.clientContext(ca.certificate()), "worker-1.nodes.example");
            assertEquals(Optional.empty(), c.nodeSeen(), "the server is not a node");
        }
    }

    @Test
    void theServersOwnCertificateIsNotAClientCertificate() throws Exception {
        TestNode node = TestNode.join(ca, "worker-1", Duration.ofDays(365));
        var asServer = TrustedCa.clientContext(ca.certificate(), server.key(), server.certificate());
        try (OneConnection c = OneConnection.serve(node.servingContext())) {
            assertThrows(IOException.class, () -> c.dial(asServer, "worker-1.nodes.example"));
            assertThrows(SSLHandshakeException.class, c::nodeSeen, "serverAuth only: no clientAuth");
        }
    }

    @Test
    void javaNetHttpClientChecksTheHostNameItself() throws Exception {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext(server)));
        https.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        try {
            HttpClient client = HttpClient.newBuilder().sslContext(TrustedCa.clientContext(dir.resolve("pki/ca.crt"))).build();
            URI uri = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/");
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", answer.body());
        } finally {
            https.stop(0);
        }
    }
}
