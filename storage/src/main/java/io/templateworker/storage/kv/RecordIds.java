package io.templateworker.storage.kv;

import io.templateworker.runtime.store.KvLimits;
import java.security.SecureRandom;

/**
 * Record ids: 64 random alphanumeric characters, as upstream. The generator is a SecureRandom so ids cannot be
 * predicted from earlier ones (by-id calls are tenant-scoped anyway; this is defence in depth).
 */
final class RecordIds {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    private RecordIds() {
    }

    static String next() {
        SecureRandom random = RANDOM.get();
        byte[] bytes = new byte[KvLimits.ID_LENGTH];
        random.nextBytes(bytes);
        char[] id = new char[KvLimits.ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            // 256 = 4 * 62 + 8: the slight bias toward the first 8 characters does not matter for uniqueness.
            id[i] = ALPHABET[(bytes[i] & 0xff) % ALPHABET.length];
        }
        return new String(id);
    }
}
