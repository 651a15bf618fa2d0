package io.templateworker.storage.kv;

import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.KvStore;
import io.templateworker.runtime.store.SetResult;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryListener;
import io.templateworker.storage.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link KvStore} on the {@code tenant_kv} table. Every statement filters on the tenant's (owner_id,
 * owner_type) first, so ids and keys of other tenants are invisible. All user input is bound as parameters:
 * scopes and keys are data; a find query is a LIKE pattern, as upstream.
 *
 * <p>Whenever a write can change a record's expiry, the {@link ExpiryListener} hears about it after commit.
 * Changing the expiry also clears the engine's lease and attempt counter, so a moved or re-armed key is a new
 * expiry; setting a value without changing the expiry leaves an ongoing dispatch alone.
 */
public final class PostgresKvStore implements KvStore {

    private static final String COLUMNS = "id, key, value, scopes, created_at, last_updated_at, expires_at, resume";
    private static final String OWNER = "owner_id = ? and owner_type = ?";
    /** Picks the one row a containment lookup means: exact scopes first, else the oldest. */
    private static final String PICK_ONE = "select id from tenant_kv where " + OWNER
            + " and key = ? and scopes @> ? order by (scopes = ?) desc, created_at, id limit 1";
    /** Resets the engine's claim when the expiry changes; keeps it when only the value changes. */
    private static final String RESET_LEASE_IF_MOVED =
            "expiry_lease_until = case when tenant_kv.expires_at is distinct from %1$s then null else tenant_kv.expiry_lease_until end,"
            + " expiry_event_call_attempts = case when tenant_kv.expires_at is distinct from %1$s then 0 else tenant_kv.expiry_event_call_attempts end";

    private static final String SQL_GET = "select " + COLUMNS + " from tenant_kv where " + OWNER
            + " and key = ? and scopes @> ? order by (scopes = ?) desc, created_at, id limit 1";
    private static final String SQL_GET_BY_ID = "select " + COLUMNS + " from tenant_kv where " + OWNER + " and id = ?";
    private static final String SQL_KEYS = "select key from tenant_kv where " + OWNER + " and scopes @> ? group by key order by key collate \"C\"";
    private static final String SQL_FIND_ALL = "select " + COLUMNS + " from tenant_kv where " + OWNER
            + " and scopes @> ? order by key collate \"C\", id";
    private static final String SQL_FIND_LIKE = "select " + COLUMNS + " from tenant_kv where " + OWNER
            + " and scopes @> ? and key like ? order by key collate \"C\", id";
    private static final String SQL_LIST_SCOPES = "select s from tenant_kv, unnest(scopes) as s where " + OWNER
            + " group by s order by s collate \"C\"";
    private static final String SQL_SET = "insert into tenant_kv as tenant_kv (id, owner_id, owner_type, key, value, scopes, expires_at, resume)"
            + " values (?, ?, ?, ?, ?::jsonb, ?, ?, ?)"
            + " on conflict (owner_id, owner_type, key, scopes) do update set value = excluded.value,"
            + " last_updated_at = now(), expires_at = excluded.expires_at, resume = excluded.resume, "
            + String.format(RESET_LEASE_IF_MOVED, "excluded.expires_at")
            + " returning id, (xmax = 0) as inserted";
    private static final String SQL_SET_BY_ID = "update tenant_kv set value = ?::jsonb, last_updated_at = now(), resume = ?, "
            + String.format(RESET_LEASE_IF_MOVED, "?::timestamptz") + ", expires_at = ?::timestamptz"
            + " where " + OWNER + " and id = ? returning key, scopes";
    private static final String SQL_SET_EXPIRY = "update tenant_kv set last_updated_at = now(), "
            + String.format(RESET_LEASE_IF_MOVED, "?::timestamptz") + ", expires_at = ?::timestamptz"
            + " where " + OWNER + " and id = (" + PICK_ONE + ") returning id, key, scopes";
    private static final String SQL_SET_EXPIRY_BY_ID = "update tenant_kv set last_updated_at = now(), "
            + String.format(RESET_LEASE_IF_MOVED, "?::timestamptz") + ", expires_at = ?::timestamptz"
            + " where " + OWNER + " and id = ? returning id, key, scopes";
    private static final String SQL_DELETE = "delete from tenant_kv where " + OWNER + " and id = (" + PICK_ONE + ")"
            + " returning id, key, scopes, expires_at";
    private static final String SQL_DELETE_BY_ID = "delete from tenant_kv where " + OWNER + " and id = ?"
            + " returning id, key, scopes, expires_at";

    private final DataSource dataSource;
    private final InstantSource clock;
    private final ExpiryListener listener;
    private final KvLimits.Sizes sizes;

    /**
     * @param clock    decides whether an expiry lies in the future
     * @param listener told about expiry changes after commit ({@link ExpiryListener#NONE} if no engine runs)
     * @param sizes    longest key / find query and largest value ({@code limits.kv_*_max_bytes})
     */
    public PostgresKvStore(DataSource dataSource, InstantSource clock, ExpiryListener listener, KvLimits.Sizes sizes) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.sizes = Objects.requireNonNull(sizes, "sizes");
    }

    /** With the default sizes (512-byte keys, 256 KiB values). */
    public PostgresKvStore(DataSource dataSource, InstantSource clock, ExpiryListener listener) {
        this(dataSource, clock, listener, KvLimits.Sizes.DEFAULTS);
    }

    @Override
    public KvRecord get(TenantId tenant, List<String> scopes, String key) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "get");
        KvLimits.checkKey(key, sizes.maxKeyBytes());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GET)) {
            int i = bindOwner(ps, 1, tenant);
            ps.setString(i++, key);
            ps.setArray(i++, Sql.textArray(c, sorted));
            ps.setArray(i, Sql.textArray(c, sorted));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? readRecord(rs, tenant) : null;
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV get for " + tenant);
        }
    }

    @Override
    public KvRecord getById(TenantId tenant, String id) {
        KvLimits.checkId(id);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GET_BY_ID)) {
            int i = bindOwner(ps, 1, tenant);
            ps.setString(i, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? readRecord(rs, tenant) : null;
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV getbyid for " + tenant);
        }
    }

    @Override
    public boolean exists(TenantId tenant, List<String> scopes, String key) {
        return get(tenant, scopes, key) != null;
    }

    @Override
    public List<String> keys(TenantId tenant, List<String> scopes) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "keys");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_KEYS)) {
            int i = bindOwner(ps, 1, tenant);
            ps.setArray(i, Sql.textArray(c, sorted));
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw Sql.failure(e, "KV keys for " + tenant);
        }
    }

    @Override
    public List<KvRecord> find(TenantId tenant, List<String> scopes, String query) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "find");
        KvLimits.checkQuery(query, sizes.maxKeyBytes());
        boolean all = "%%".equals(query);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(all ? SQL_FIND_ALL : SQL_FIND_LIKE)) {
            int i = bindOwner(ps, 1, tenant);
            ps.setArray(i++, Sql.textArray(c, sorted));
            if (!all) {
                ps.setString(i, query);
            }
            List<KvRecord> records = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    records.add(readRecord(rs, tenant));
                }
            }
            return records;
        } catch (SQLException e) {
            throw Sql.failure(e, "KV find for " + tenant);
        }
    }

    @Override
    public List<String> listScopes(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_LIST_SCOPES)) {
            bindOwner(ps, 1, tenant);
            List<String> scopes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    scopes.add(rs.getString(1));
                }
            }
            return scopes;
        } catch (SQLException e) {
            throw Sql.failure(e, "KV list_scopes for " + tenant);
        }
    }

    @Override
    public SetResult set(TenantId tenant, List<String> scopes, String key, KhronosValue value, Instant expiresAt, boolean resume) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "set");
        KvLimits.checkKey(key, sizes.maxKeyBytes());
        byte[] json = KvLimits.encodeValue(value, sizes.maxValueBytes());
        KvLimits.checkExpiry(expiresAt, clock.instant());
        Instant expiry = Sql.toMicros(expiresAt);
        SetResult result;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SET)) {
            ps.setString(1, RecordIds.next());
            int i = bindOwner(ps, 2, tenant);
            ps.setString(i++, key);
            ps.setString(i++, new String(json, StandardCharsets.UTF_8));
            ps.setArray(i++, Sql.textArray(c, sorted));
            Sql.setInstant(ps, i++, expiry);
            ps.setBoolean(i, resume);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                result = new SetResult(rs.getString(1), !rs.getBoolean(2));
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV set for " + tenant);
        }
        if (expiry != null || result.existed()) {
            listener.expiryChanged(tenant, result.id(), key, sorted, expiry);
        }
        return result;
    }

    @Override
    public void setById(TenantId tenant, String id, KhronosValue value, Instant expiresAt, boolean resume) {
        KvLimits.checkId(id);
        byte[] json = KvLimits.encodeValue(value, sizes.maxValueBytes());
        KvLimits.checkExpiry(expiresAt, clock.instant());
        Instant expiry = Sql.toMicros(expiresAt);
        String key;
        List<String> scopes;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SET_BY_ID)) {
            ps.setString(1, new String(json, StandardCharsets.UTF_8));
            ps.setBoolean(2, resume);
            Sql.setInstant(ps, 3, expiry);
            Sql.setInstant(ps, 4, expiry);
            Sql.setInstant(ps, 5, expiry);
            int i = bindOwner(ps, 6, tenant);
            ps.setString(i, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw noSuchId(tenant, id);
                }
                key = rs.getString(1);
                scopes = Sql.getTextList(rs, "scopes");
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV setbyid for " + tenant);
        }
        listener.expiryChanged(tenant, id, key, scopes, expiry);
    }

    @Override
    public void setExpiry(TenantId tenant, List<String> scopes, String key, Instant expiresAt) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "setexpiry");
        KvLimits.checkKey(key, sizes.maxKeyBytes());
        KvLimits.checkExpiry(expiresAt, clock.instant());
        Instant expiry = Sql.toMicros(expiresAt);
        String id;
        List<String> stored;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SET_EXPIRY)) {
            Sql.setInstant(ps, 1, expiry);
            Sql.setInstant(ps, 2, expiry);
            Sql.setInstant(ps, 3, expiry);
            int i = bindOwner(ps, 4, tenant);
            i = bindOwner(ps, i, tenant);
            ps.setString(i++, key);
            ps.setArray(i++, Sql.textArray(c, sorted));
            ps.setArray(i, Sql.textArray(c, sorted));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(StoreException.Kind.NOT_FOUND, "setexpiry: no key \"" + key
                            + "\" in scopes " + sorted + " for " + tenant + "; set the key first");
                }
                id = rs.getString(1);
                stored = Sql.getTextList(rs, "scopes");
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV setexpiry for " + tenant);
        }
        listener.expiryChanged(tenant, id, key, stored, expiry);
    }

    @Override
    public void setExpiryById(TenantId tenant, String id, Instant expiresAt) {
        KvLimits.checkId(id);
        KvLimits.checkExpiry(expiresAt, clock.instant());
        Instant expiry = Sql.toMicros(expiresAt);
        String key;
        List<String> scopes;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SET_EXPIRY_BY_ID)) {
            Sql.setInstant(ps, 1, expiry);
            Sql.setInstant(ps, 2, expiry);
            Sql.setInstant(ps, 3, expiry);
            int i = bindOwner(ps, 4, tenant);
            ps.setString(i, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw noSuchId(tenant, id);
                }
                key = rs.getString(2);
                scopes = Sql.getTextList(rs, "scopes");
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "KV setexpirybyid for " + tenant);
        }
        listener.expiryChanged(tenant, id, key, scopes, expiry);
    }

    @Override
    public boolean delete(TenantId tenant, List<String> scopes, String key) {
        List<String> sorted = KvLimits.normalizeScopes(scopes, "delete");
        KvLimits.checkKey(key, sizes.maxKeyBytes());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE)) {
            int i = bindOwner(ps, 1, tenant);
            i = bindOwner(ps, i, tenant);
            ps.setString(i++, key);
            ps.setArray(i++, Sql.textArray(c, sorted));
            ps.setArray(i, Sql.textArray(c, sorted));
            return deleted(ps, tenant);
        } catch (SQLException e) {
            throw Sql.failure(e, "KV delete for " + tenant);
        }
    }

    @Override
    public boolean deleteById(TenantId tenant, String id) {
        KvLimits.checkId(id);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE_BY_ID)) {
            int i = bindOwner(ps, 1, tenant);
            ps.setString(i, id);
            return deleted(ps, tenant);
        } catch (SQLException e) {
            throw Sql.failure(e, "KV deletebyid for " + tenant);
        }
    }

    private boolean deleted(PreparedStatement ps, TenantId tenant) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return false;
            }
            if (rs.getObject("expires_at") != null) {
                listener.expiryChanged(tenant, rs.getString("id"), rs.getString("key"), Sql.getTextList(rs, "scopes"), null);
            }
            return true;
        }
    }

    private static int bindOwner(PreparedStatement ps, int index, TenantId tenant) throws SQLException {
        ps.setString(index, tenant.idString());
        ps.setString(index + 1, tenant.type().sqlName());
        return index + 2;
    }

    private static KvRecord readRecord(ResultSet rs, TenantId tenant) throws SQLException {
        String id = rs.getString("id");
        String json = rs.getString("value");
        KhronosValue value;
        try {
            value = json == null ? KhronosValue.Null.INSTANCE : KhronosJson.fromJson(json);
        } catch (KhronosException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "KV record " + id + " of " + tenant
                    + " holds a value that is not KhronosValue v2 JSON (" + e.getMessage()
                    + "); was the khronosvalue_v2 migration applied to imported data?", e);
        }
        return new KvRecord(id, rs.getString("key"), value, Sql.getTextList(rs, "scopes"),
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "last_updated_at"),
                Sql.getInstant(rs, "expires_at"), rs.getBoolean("resume"));
    }

    private static StoreException noSuchId(TenantId tenant, String id) {
        return new StoreException(StoreException.Kind.NOT_FOUND, "no KV record with id \"" + id + "\" for " + tenant);
    }
}
