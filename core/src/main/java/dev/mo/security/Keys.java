package dev.mo.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** The one kind of key mo makes: EC P-256, small and fast, and what k3s uses too. */
public final class Keys {
    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private Keys() {}

    /** A new EC P-256 key pair (for the CA, the server, or a node). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: signs a few bytes and checks
     * them. A crash between writing a new key and its certificate would otherwise leave a pair
     * that fails only at the first handshake.
     */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        byte[] probe = "mo key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(SIGNATURE_ALGORITHM);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key where an EC one was expected
        }
    }
}
