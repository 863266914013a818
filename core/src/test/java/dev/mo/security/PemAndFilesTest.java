package dev.mo.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemAndFilesTest {
    @TempDir Path dir;

    @Test
    void keysAndCertificatesRoundTripThroughPem() throws Exception {
        ClusterCa ca = ClusterCa.loadOrCreate(dir, Clock.systemUTC());
        KeyPair keys = Keys.newKeyPair();

        String keyPem = Pem.privateKey(keys.getPrivate());
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), keyPem);
        assertEquals(keys.getPrivate(), Pem.parsePrivateKey(keyPem));
        assertTrue(Keys.matches(Pem.parsePrivateKey(keyPem), keys.getPublic()));

        String chain = Pem.certificate(ca.serverCredentials(List.of()).certificate()) + Pem.certificate(ca.certificate());
        assertTrue(chain.startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(ca.certificate(), Pem.parseCertificates(chain).get(1));
    }

    @Test
    void textThatIsNotPemIsRefused() throws Exception {
        assertEquals("no PEM certificate found",
                assertThrows(IllegalArgumentException.class, () -> Pem.parseCertificate("hello")).getMessage());
        assertEquals("no PEM private key found",
                assertThrows(IllegalArgumentException.class, () -> Pem.parsePrivateKey("hello")).getMessage());
        Path file = dir.resolve("ca.crt");
        Files.writeString(file, "hello");
        assertEquals(file + ": no PEM certificate found",
                assertThrows(IOException.class, () -> Pem.readCertificate(file)).getMessage());
    }

    @Test
    void secureFilesReplaceWholeWithTheModeAsked() throws Exception {
        Path key = dir.resolve("a.key");
        Path crt = dir.resolve("a.crt");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));

        SecureFiles.writePrivate(key, "new");
        SecureFiles.writePublic(crt, "cert");

        assertEquals("new", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(crt)));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file is left");
        }
    }
}
