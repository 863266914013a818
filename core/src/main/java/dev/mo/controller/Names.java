package dev.mo.controller;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mo.model.Json;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;

/**
 * How Kubernetes names what controllers make: a ReplicaSet is its Deployment's name plus a
 * hash of the pod template ({@code web-7d4b9c8f5}); a pod is its ReplicaSet's name plus five
 * random characters ({@code web-7d4b9c8f5-x2k4q}). Both use an alphabet without vowels (so
 * no words appear by chance) and without easily confused characters (0/o, 1/l, 3/e).
 */
public final class Names {
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final Random RANDOM = new SecureRandom();

    private Names() {}

    /**
     * The {@code pod-template-hash}: FNV-32a of the template (as canonical JSON), its decimal
     * digits mapped onto the alphabet, as Kubernetes' {@code rand.SafeEncodeString} does.
     * Each character's code modulo 27 picks the letter, so the digits 0-9 become
     * {@code 4 5 6 7 8 9 b c d f}: hash 2031745816 reads "6475c89d5b". That is why
     * Kubernetes' ReplicaSet names look like {@code web-7d4b9c8f5}.
     */
    public static String templateHash(JsonNode template) {
        byte[] bytes = Json.write(template).getBytes(StandardCharsets.UTF_8);
        int hash = 0x811c9dc5; // FNV-32a offset basis
        for (byte b : bytes) {
            hash ^= (b & 0xff);
            hash *= 0x01000193; // FNV-32 prime
        }
        return safeEncode(Long.toString(Integer.toUnsignedLong(hash)));
    }

    static String safeEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) out.append(ALPHABET.charAt(c % ALPHABET.length()));
        return out.toString();
    }

    /** {@code base + "-" + 5 random characters}, as a ReplicaSet names its pods. */
    public static String withRandomSuffix(String base) {
        StringBuilder out = new StringBuilder(base).append('-');
        for (int i = 0; i < 5; i++) out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return out.toString();
    }
}
