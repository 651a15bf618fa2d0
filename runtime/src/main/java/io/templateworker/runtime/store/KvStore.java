package io.templateworker.runtime.store;

import io.templateworker.runtime.khronos.KhronosValue;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's key-value store (UPSTREAM.md §5.3, with the 2025 expiry-aware operations of §8.5). Every call is
 * confined to {@code tenant}: no operation can read or change another tenant's rows, ids included.
 *
 * <p><b>Identity and matching.</b> A record is identified by (tenant, key, sorted scopes). Scopes are
 * mandatory (1..10) and order does not matter. Reads and targeted writes address a record by
 * <em>containment</em>: the stored scopes must include every requested scope. Where several rows contain
 * the requested scopes, the operation picks one deterministically: the row whose scopes equal the request if
 * there is one, else the oldest (upstream returned an arbitrary row and deleted all of them, gap 20).
 * {@link #set} upserts on the exact scopes.
 *
 * <p><b>Expiry.</b> {@code expiresAt} must lie in the future ("Expiry time must be in the future"); null
 * clears it. When it passes, the key-expiry engine dispatches a {@code KeyExpiry} event and then deletes the
 * row. Timestamps are stored with microsecond precision.
 *
 * <p>Limits ({@link KvLimits}): key and find query at most 512 UTF-8 bytes, value at most 256 KiB of
 * KhronosValue JSON, at most 10 scopes. Violations throw {@link StoreException} with the measured figure.
 */
public interface KvStore {

    /** The record {@code key} in {@code scopes} (containment), or null. */
    KvRecord get(TenantId tenant, List<String> scopes, String key);

    /** The record with this id, or null (also null when the id belongs to another tenant). */
    KvRecord getById(TenantId tenant, String id);

    /** Whether {@link #get} would return a record. */
    boolean exists(TenantId tenant, List<String> scopes, String key);

    /** Distinct keys of the records containing {@code scopes}, sorted. */
    List<String> keys(TenantId tenant, List<String> scopes);

    /**
     * Records containing {@code scopes} whose key matches {@code query}: {@code "%%"} returns all of them,
     * anything else is a case-sensitive SQL LIKE pattern ({@code %} any run, {@code _} one character,
     * backslash escapes). Sorted by key, then id.
     */
    List<KvRecord> find(TenantId tenant, List<String> scopes, String query);

    /** Every distinct scope string across the tenant's records, sorted. */
    List<String> listScopes(TenantId tenant);

    /**
     * Inserts or replaces the record (tenant, key, exact scopes) with a new value, expiry and resume flag.
     * An existing record keeps its id and created_at.
     */
    SetResult set(TenantId tenant, List<String> scopes, String key, KhronosValue value, Instant expiresAt, boolean resume);

    /** {@link #set} without expiry or resume. */
    default SetResult set(TenantId tenant, List<String> scopes, String key, KhronosValue value) {
        return set(tenant, scopes, key, value, null, false);
    }

    /** Replaces value, expiry and resume of the record with this id; NOT_FOUND if the tenant has no such id. */
    void setById(TenantId tenant, String id, KhronosValue value, Instant expiresAt, boolean resume);

    /** Sets or clears (null) the expiry of the record {@link #get} would return; NOT_FOUND if none. */
    void setExpiry(TenantId tenant, List<String> scopes, String key, Instant expiresAt);

    /** Sets or clears (null) the expiry of the record with this id; NOT_FOUND if the tenant has no such id. */
    void setExpiryById(TenantId tenant, String id, Instant expiresAt);

    /** Deletes the record {@link #get} would return; returns whether one was deleted. */
    boolean delete(TenantId tenant, List<String> scopes, String key);

    /** Deletes the record with this id; returns whether one was deleted. */
    boolean deleteById(TenantId tenant, String id);
}
