package io.templateworker.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Session tokens: 128 random alphanumeric characters (UPSTREAM.md §4.3), stored and looked up only as their SHA-256
 * hash. A token carries about 762 bits of randomness, so a fast hash is enough: nothing can be guessed from it.
 */
public final class Tokens {

    /** Length of a session token. */
    public static final int LENGTH = 128;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Cloned for each hash: requests run on virtual threads, one per request, so a thread-local digest would be
     * created (a provider lookup) on every request; a clone is a copy of a few small arrays.
     */
    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private Tokens() {
    }

    /** A new random token. */
    public static String generate() {
        char[] out = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}: what the database keeps of a token or an OAuth2 code. */
    public static byte[] hash(String text) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's SHA-256 cannot be cloned", e);
        }
        return digest.digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
