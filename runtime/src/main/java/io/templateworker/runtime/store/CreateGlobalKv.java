package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;

/** A new global KV entry as a tenant submits it (UPSTREAM.md §5.4); it starts in review state pending. */
public record CreateGlobalKv(String key, int version, String shortDescription, KhronosValue publicMetadata,
                             String scope, boolean publicData, String longDescription, KhronosValue data) {
}
