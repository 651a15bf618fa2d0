package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;

/**
 * A global KV listing without its data (UPSTREAM.md §5.4). {@code ownerType} is {@code guild}, {@code user}
 * or {@code staff}; {@code price} is null for free entries; {@code longDescription} is null in find results.
 */
public record PartialGlobalKv(String key, int version, String ownerId, String ownerType, Integer price,
                              String shortDescription, KhronosValue publicMetadata, String scope,
                              Instant createdAt, Instant lastUpdatedAt, boolean publicData,
                              ReviewState reviewState, String longDescription) {
}
