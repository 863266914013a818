package dev.mo.security;

import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCaTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = at(START);

    @TempDir Path dir;

    static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void caIsMadeOnceAndLoadedAfter() throws Exception {
        Path pki = dir.resolve("state/pki");
        ClusterCa first = ClusterCa.loadOrCreate(pki, CLOCK);
        ClusterCa second = ClusterCa.loadOrCreate(pki, CLOCK);

        assertEquals(first.fingerprint(), second.fingerprint());
        assertEquals("rwx------", mode(pki));
        assertEquals("rw-------", mode(pki.resolve("ca.key")));
        assertEquals("rw-r--r--", mode(pki.resolve("ca.crt")));
        try (var files = Files.list(pki)) {
            assertEquals(Set.of("ca.crt", "ca.key"), files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    @Test
    void caCertificateIsASelfSignedTenYearCa() throws Exception {
        X509Certificate ca = ClusterCa.loadOrCreate(dir, CLOCK).certificate();

        assertEquals("CN=mo-ca", ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "basicConstraints CA:true");
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertTrue(ca.getNotAfter().toInstant().isAfter(START.plus(Duration.ofDays(3649))));
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
    }

    @Test
    void fingerprintIsTheSha256OfTheCertificatesDer() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        byte[] der = Pem.readCertificate(dir.resolve("ca.crt")).getEncoded();

        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)), ca.fingerprint());
        assertTrue(ca.fingerprint().matches("[0-9a-f]{64}"));
    }

    @Test
    void caCertificateWithoutItsKeyIsRefused() throws Exception {
        ClusterCa.loadOrCreate(dir, CLOCK);
        Files.delete(dir.resolve("ca.key"));

        var e = assertThrows(IOException.class, () -> ClusterCa.loadOrCreate(dir, CLOCK));
        assertTrue(e.getMessage().contains("ca.key is missing"), e.getMessage());
    }

    @Test
    void serverCertificateCarriesTheSansAskedForAndLocalhost() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        X509Certificate server = ca.serverCredentials(List.of("10.0.0.5", "mo.example.com")).certificate();

        assertEquals(List.of("10.0.0.5", "mo.example.com", "localhost", "127.0.0.1"), SubjectAltNames.list(server));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage());
        assertEquals(-1, server.getBasicConstraints());
        server.verify(ca.certificate().getPublicKey());
        assertEquals(START.plus(Duration.ofDays(365)), server.getNotAfter().toInstant());
        assertEquals("rw-------", mode(dir.resolve("server.key")));
        assertEquals("rw-r--r--", mode(dir.resolve("server.crt")));
    }

    @Test
    void storedServerCertificateIsKeptWhileItCoversTheSans() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        X509Certificate first = ca.serverCredentials(List.of("10.0.0.5")).certificate();

        X509Certificate again = ClusterCa.loadOrCreate(dir, at(START.plus(Duration.ofDays(100))))
                .serverCredentials(List.of("10.0.0.5", "localhost")).certificate();

        assertEquals(first.getSerialNumber(), again.getSerialNumber());
    }

    @Test
    void aNewSanReissuesTheServerCertificate() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        X509Certificate first = ca.serverCredentials(List.of("10.0.0.5")).certificate();

        X509Certificate second = ca.serverCredentials(List.of("10.0.0.5", "10.0.0.6")).certificate();

        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertTrue(SubjectAltNames.covers(second, "10.0.0.6"));
        assertEquals(second, Pem.readCertificate(dir.resolve("server.crt")));
    }

    @Test
    void aServerCertificateWithin30DaysOfItsEndIsReissued() throws Exception {
        X509Certificate first = ClusterCa.loadOrCreate(dir, CLOCK).serverCredentials(List.of()).certificate();
        Instant late = first.getNotAfter().toInstant().minus(Duration.ofDays(29));

        X509Certificate second = ClusterCa.loadOrCreate(dir, at(late)).serverCredentials(List.of()).certificate();

        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        assertEquals(late.plus(Duration.ofDays(365)), second.getNotAfter().toInstant());
    }

    @Test
    void anExpiredServerCertificateIsReissued() throws Exception {
        X509Certificate first = ClusterCa.loadOrCreate(dir, CLOCK).serverCredentials(List.of()).certificate();
        Instant later = START.plus(Duration.ofDays(800));

        X509Certificate second = ClusterCa.loadOrCreate(dir, at(later)).serverCredentials(List.of()).certificate();

        assertNotEquals(first.getSerialNumber(), second.getSerialNumber());
        second.checkValidity(Date.from(later));
    }

    @Test
    void aServerCertificateFromAnotherCaIsReissued() throws Exception {
        ClusterCa.loadOrCreate(dir.resolve("other"), CLOCK).serverCredentials(List.of());
        Path pki = dir.resolve("pki");
        ClusterCa ca = ClusterCa.loadOrCreate(pki, CLOCK);
        Files.copy(dir.resolve("other/server.crt"), pki.resolve("server.crt"));
        Files.copy(dir.resolve("other/server.key"), pki.resolve("server.key"));

        ca.serverCredentials(List.of()).certificate().verify(ca.certificate().getPublicKey());
    }

    @Test
    void aSanThatIsNeitherAddressNorNameIsRefused() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);

        var e = assertThrows(IllegalArgumentException.class, () -> ca.serverCredentials(List.of("not a host")));
        assertEquals("\"not a host\" is neither an IP address nor a DNS name", e.getMessage());
    }

    @Test
    void signNodeIssuesAClientAndAServingCertificate() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        NodeCredentials node = TestNode.join(ca, "worker-1", Duration.ofDays(365)).credentials();

        X509Certificate client = node.clientCertificate();
        assertEquals("CN=system:node:worker-1,O=system:nodes", client.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), client.getExtendedKeyUsage());
        client.verify(ca.certificate().getPublicKey());

        X509Certificate serving = node.servingCertificate();
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage());
        assertEquals(List.of("127.0.0.1", "worker-1.nodes.example"), SubjectAltNames.list(serving));
        assertEquals(ca.certificate(), node.caCertificate());
        assertEquals(START.plus(Duration.ofDays(365)), client.getNotAfter().toInstant());
    }

    @Test
    void signNodeRefusesAnInvalidNodeName() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        KeyPair keys = Keys.newKeyPair();
        String csr = Csr.forNode(keys, "ok");

        for (String bad : List.of("Worker", "-worker", "worker_1", "", "a".repeat(254))) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ca.signNode(bad, csr, csr, List.of("10.0.0.7"), Duration.ofDays(1)), bad);
            assertTrue(e.getMessage().contains("is not a valid DNS-1123 subdomain"), e.getMessage());
        }
        ca.signNode("a".repeat(63) + "." + "b".repeat(63), csr, csr, List.of("10.0.0.7"), Duration.ofDays(1));
    }

    @Test
    void signNodeWantsAnAddressOrNameForTheServingCertificate() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        String csr = Csr.forNode(Keys.newKeyPair(), "worker-1");

        var e = assertThrows(IllegalArgumentException.class,
                () -> ca.signNode("worker-1", csr, csr, List.of(), Duration.ofDays(1)));
        assertEquals("a serving certificate needs at least one IP address or DNS name", e.getMessage());
    }

    @Test
    void aCaKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        ClusterCa.loadOrCreate(dir, CLOCK);
        SecureFiles.writePrivate(dir.resolve("ca.key"), Pem.privateKey(Keys.newKeyPair().getPrivate()));

        var e = assertThrows(IOException.class, () -> ClusterCa.loadOrCreate(dir, CLOCK));
        assertTrue(e.getMessage().endsWith("ca.key is not the key of " + dir.resolve("ca.crt")), e.getMessage());
    }

    @Test
    void signNodeRefusesARequestNotSignedByItsKey() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, CLOCK);
        KeyPair claimed = Keys.newKeyPair();
        KeyPair signer = Keys.newKeyPair();
        String forged = Pem.csr(new JcaPKCS10CertificationRequestBuilder(NodeIdentity.subject("worker-1"), claimed.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        String good = Csr.forNode(Keys.newKeyPair(), "worker-1");

        var e = assertThrows(IllegalArgumentException.class,
                () -> ca.signNode("worker-1", forged, good, List.of("10.0.0.7"), Duration.ofDays(1)));
        assertEquals("certificate request's signature does not match its public key", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ca.signNode("worker-1", "not pem", good, List.of("10.0.0.7"), Duration.ofDays(1)));
    }

    @Test
    void serverContextSpeaksTls12And13Only() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, Clock.systemUTC());
        SSLContext context = ca.serverContext(ca.serverCredentials(List.of()));

        try (SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket()) {
            assertEquals(Set.of("TLSv1.3", "TLSv1.2"), Set.of(socket.getEnabledProtocols()));
        }
    }
}
