package io.templateworker.runtime.store;

import java.time.Instant;

/** One listed object: its path within the tenant's prefix, when it last changed, its size and its ETag. */
public record ObjectInfo(String path, Instant lastModified, long size, String etag) {
}
