package dev.mo.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoinTokenTest {
    private static final String FP = "3f2a".repeat(16);
    private static final String SECRET = "s3cr3t-do-not-log";

    @TempDir Path dir;

    @Test
    void aNewTokenRoundTrips() {
        JoinToken token = JoinToken.create(FP, new SecureRandom());

        assertTrue(token.text().matches("K10" + FP + "::[A-Za-z0-9_-]{43}"), token.text());
        JoinToken parsed = JoinToken.parse(token.text());
        assertEquals(FP, parsed.caFingerprint());
        assertEquals(token.secret(), parsed.secret());
        assertEquals(token.text(), parsed.text());
    }

    @Test
    void parsingTrimsAndLowercasesTheFingerprint() {
        JoinToken token = JoinToken.parse("  K10" + FP.toUpperCase() + "::" + SECRET + "\n");
        assertEquals(FP, token.caFingerprint());
        assertEquals(SECRET, token.secret());
    }

    @Test
    void eachMalformedTokenSaysWhatIsWrongWithoutTheSecret() {
        Map<String, String> cases = Map.of(
                "K11" + FP + "::" + SECRET, "join token does not start with K10",
                FP + "::" + SECRET, "join token does not start with K10",
                "K10" + FP + ":" + SECRET, "join token has no '::' between the CA fingerprint and the secret",
                "K10" + FP.substring(1) + "::" + SECRET,
                "join token's CA fingerprint is not 64 hex characters (a SHA-256); it has 63 characters",
                "K10" + "z" + FP.substring(1) + "::" + SECRET,
                "join token's CA fingerprint is not 64 hex characters (a SHA-256); it has a character other than 0-9 and a-f",
                "K10" + FP + "::", "join token has an empty secret after '::'",
                "", "join token does not start with K10");
        cases.forEach((text, message) -> {
            var e = assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(text), text);
            assertEquals(message, e.getMessage());
            assertFalse(e.getMessage().contains(SECRET));
        });
    }

    @Test
    void toStringHidesTheSecret() {
        JoinToken token = JoinToken.parse("K10" + FP + "::" + SECRET);
        assertEquals("K10" + FP + "::<redacted>", token.toString());
        assertFalse(token.toString().contains(SECRET));
    }

    @Test
    void secretMatchesOnlyTheSecret() {
        JoinToken token = JoinToken.parse("K10" + FP + "::" + SECRET);
        assertTrue(token.secretMatches(SECRET));
        assertFalse(token.secretMatches(SECRET + "x"));
        assertFalse(token.secretMatches(SECRET.substring(1)));
        assertFalse(token.secretMatches(""));
        assertFalse(token.secretMatches(null));
    }

    @Test
    void loadOrCreateWritesAnOwnerOnlyFileAndReadsItBack() throws Exception {
        Path file = dir.resolve("token");
        JoinToken made = JoinToken.loadOrCreate(file, FP, new SecureRandom());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(made.text() + "\n", Files.readString(file));
        assertEquals(made.text(), JoinToken.loadOrCreate(file, FP, new SecureRandom()).text());
    }

    @Test
    void aStoredTokenForAnotherCaIsRefused() throws Exception {
        Path file = dir.resolve("token");
        JoinToken.loadOrCreate(file, FP, new SecureRandom());
        String other = "9b1c".repeat(16);

        var e = assertThrows(IOException.class, () -> JoinToken.loadOrCreate(file, other, new SecureRandom()));
        assertTrue(e.getMessage().contains("is for CA " + FP + ", not this cluster's CA " + other), e.getMessage());
    }

    @Test
    void aDamagedTokenFileIsNamedButItsSecretIsNotShown() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "K10" + FP + ":" + SECRET);

        var e = assertThrows(IOException.class, () -> JoinToken.loadOrCreate(file, FP, new SecureRandom()));
        assertTrue(e.getMessage().startsWith(file + ": join token has no '::'"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET));
    }
}
