/**
 * Object storage adapters of {@link io.templateworker.runtime.store.ObjectStore}: files on local disk
 * ({@code object_storage.type: local}) and S3-compatible servers ({@code s3-like}, AWS SDK v2).
 */
package io.templateworker.storage.objects;
