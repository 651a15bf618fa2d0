package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;
import java.util.List;

/**
 * One tenant KV row as templates see it ({@code getrecord}): {@code expiresAt} is null when the key does not
 * expire; {@code resume} marks a key that fires KeyResume when the tenant's VM is rebuilt.
 */
public record KvRecord(String id, String key, KhronosValue value, List<String> scopes, Instant createdAt,
                       Instant lastUpdatedAt, Instant expiresAt, boolean resume) {

    public KvRecord {
        scopes = List.copyOf(scopes);
    }
}
