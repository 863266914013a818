package dev.mo.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The secret a new host joins the cluster with, in k3s' form {@code K10<ca-sha256>::<secret>}.
 *
 * <p>It carries two things: the SHA-256 of the cluster CA's certificate, so that the joining
 * agent can tell the real server from an impostor before it trusts anything (it has no
 * {@code ca.crt} yet), and a secret, so that the server can tell a host it invited from anyone
 * else. Neither half is enough alone. The secret never appears in {@link #toString()} or in an
 * error message, so a token does not leak into logs.
 */
public final class JoinToken {
    public static final String PREFIX = "K10";
    private static final String SEPARATOR = "::";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final String caFingerprint;
    private final String secret;

    private JoinToken(String caFingerprint, String secret) {
        this.caFingerprint = caFingerprint;
        this.secret = secret;
    }

    /** A new token for the CA with {@code caFingerprint}: 32 random bytes, base64url without padding. */
    public static JoinToken create(String caFingerprint, SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new JoinToken(checkFingerprint(caFingerprint.toLowerCase(Locale.ROOT)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Reads a token as a user pastes it; throws IllegalArgumentException saying what is wrong, never what the secret is. */
    public static JoinToken parse(String text) {
        String t = text == null ? "" : text.strip();
        if (!t.startsWith(PREFIX)) throw new IllegalArgumentException("join token does not start with " + PREFIX);
        int separator = t.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("join token has no '::' between the CA fingerprint and the secret");
        }
        String fingerprint = t.substring(PREFIX.length(), separator).toLowerCase(Locale.ROOT);
        String secret = t.substring(separator + SEPARATOR.length());
        checkFingerprint(fingerprint);
        if (secret.isEmpty()) throw new IllegalArgumentException("join token has an empty secret after '::'");
        return new JoinToken(fingerprint, secret);
    }

    /**
     * The token in {@code file}, or a new one written there (0600) at first start. A token made
     * for another CA is refused: agents joining with it would reject this server.
     */
    public static JoinToken loadOrCreate(Path file, String caFingerprint, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            JoinToken token = create(caFingerprint, random);
            SecureFiles.writePrivate(file, token.text() + "\n");
            return token;
        }
        JoinToken token;
        try {
            token = parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!token.caFingerprint.equals(caFingerprint.toLowerCase(Locale.ROOT))) {
            throw new IOException(file + " is for CA " + token.caFingerprint + ", not this cluster's CA "
                    + caFingerprint + "; remove it to make a new token");
        }
        return token;
    }

    /** The SHA-256 fingerprint (lowercase hex) of the CA certificate the server must present. */
    public String caFingerprint() {
        return caFingerprint;
    }

    /** The secret half: what an agent sends the server to prove it was given the token. */
    public String secret() {
        return secret;
    }

    /**
     * Whether {@code candidate} is this token's secret, in time that does not depend on where
     * they differ (an attacker timing answers cannot guess it byte by byte). Both sides are
     * hashed first so that their lengths do not show either.
     */
    public boolean secretMatches(String candidate) {
        if (candidate == null) return false;
        return MessageDigest.isEqual(sha256(secret), sha256(candidate));
    }

    /** The whole token, secret included: for the token file and for showing the operator once. */
    public String text() {
        return PREFIX + caFingerprint + SEPARATOR + secret;
    }

    /** The token with its secret left out, safe for logs. */
    @Override
    public String toString() {
        return PREFIX + caFingerprint + SEPARATOR + "<redacted>";
    }

    private static String checkFingerprint(String fingerprint) {
        if (!SHA256_HEX.matcher(fingerprint).matches()) {
            String found = fingerprint.length() == 64 ? "a character other than 0-9 and a-f"
                    : fingerprint.length() + " characters";
            throw new IllegalArgumentException("join token's CA fingerprint is not 64 hex characters (a SHA-256); it has "
                    + found);
        }
        return fingerprint;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
