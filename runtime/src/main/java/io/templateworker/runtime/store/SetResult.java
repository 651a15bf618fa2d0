package io.templateworker.runtime.store;

/** What {@code KvStore.set} did: the record's id, and whether a record with that identity existed before. */
public record SetResult(String id, boolean existed) {
}
