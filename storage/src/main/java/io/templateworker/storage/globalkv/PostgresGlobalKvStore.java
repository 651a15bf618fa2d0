package io.templateworker.storage.globalkv;

import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.CreateGlobalKv;
import io.templateworker.runtime.store.GlobalKv;
import io.templateworker.runtime.store.GlobalKvStore;
import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.PartialGlobalKv;
import io.templateworker.runtime.store.ReviewState;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** {@link GlobalKvStore} on {@code global_kv} with a real purchases table. */
public final class PostgresGlobalKvStore implements GlobalKvStore {

    private static final String PARTIAL = "key, version, owner_id, owner_type, price, short, public_metadata, scope,"
            + " created_at, last_updated_at, public_data, review_state";
    private static final String SQL_FIND_ALL = "select " + PARTIAL + " from global_kv where scope = ? and review_state = 'approved'"
            + " order by key collate \"C\", version";
    private static final String SQL_FIND_LIKE = "select " + PARTIAL + " from global_kv where scope = ? and review_state = 'approved'"
            + " and key like ? order by key collate \"C\", version";
    private static final String SQL_GET = "select " + PARTIAL + ", long, data,"
            + " exists (select 1 from global_kv_purchases p where p.key = g.key and p.version = g.version and p.scope = g.scope"
            + " and p.buyer_id = ? and p.buyer_type = ?) as purchased"
            + " from global_kv g where key = ? and version = ? and scope = ? and review_state = 'approved'";
    private static final String SQL_CREATE = "insert into global_kv (key, version, owner_id, owner_type, public_metadata, data,"
            + " public_data, scope, price, review_state, short, long) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, 'pending', ?, ?)";
    private static final String SQL_DELETE = "delete from global_kv where key = ? and version = ? and scope = ? and owner_id = ? and owner_type = ?";
    private static final String SQL_REVIEW = "update global_kv set review_state = ?, last_updated_at = now() where key = ? and version = ? and scope = ?";
    private static final String SQL_PURCHASE = "insert into global_kv_purchases (key, version, scope, buyer_id, buyer_type)"
            + " select key, version, scope, ?, ? from global_kv where key = ? and version = ? and scope = ? and price is not null"
            + " on conflict do nothing";
    private static final String SQL_IS_PRICED = "select 1 from global_kv where key = ? and version = ? and scope = ? and price is not null";

    private final DataSource dataSource;
    private final String purchaseUrlPrefix;

    /**
     * @param purchaseUrlPrefix where a reader can buy an entry; the URL-encoded key is appended, then
     *                          {@code ?version=..&scope=..}
     */
    public PostgresGlobalKvStore(DataSource dataSource, String purchaseUrlPrefix) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.purchaseUrlPrefix = Objects.requireNonNull(purchaseUrlPrefix, "purchaseUrlPrefix");
    }

    @Override
    public List<PartialGlobalKv> find(String scope, String query) {
        GlobalKvRules.checkScope(scope);
        KvLimits.checkQuery(query);
        boolean all = "%%".equals(query);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(all ? SQL_FIND_ALL : SQL_FIND_LIKE)) {
            ps.setString(1, scope);
            if (!all) {
                ps.setString(2, query);
            }
            List<PartialGlobalKv> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(readPartial(rs, null));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "global KV find in scope " + scope);
        }
    }

    @Override
    public GlobalKv get(String key, int version, String scope, TenantId reader) {
        GlobalKvRules.checkKey(key);
        GlobalKvRules.checkScope(scope);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GET)) {
            ps.setString(1, reader == null ? "" : reader.idString());
            ps.setString(2, reader == null ? "" : reader.type().sqlName());
            ps.setString(3, key);
            ps.setInt(4, version);
            ps.setString(5, scope);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                PartialGlobalKv partial = readPartial(rs, rs.getString("long"));
                boolean priced = partial.price() != null;
                if (priced && (reader == null || !rs.getBoolean("purchased"))) {
                    return new GlobalKv(partial, new GlobalKv.PurchaseRequired(purchaseUrl(key, version, scope)));
                }
                KhronosValue data = decode(rs.getString("data"), key);
                return new GlobalKv(partial, new GlobalKv.Value(data, priced || !partial.publicData()));
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "global KV get of " + key);
        }
    }

    @Override
    public void create(TenantId owner, CreateGlobalKv entry) {
        insert(owner.idString(), owner.type().sqlName(), entry, null, "for " + owner);
    }

    @Override
    public void createStaffEntry(String staffUserId, CreateGlobalKv entry, Integer price) {
        if (staffUserId == null || staffUserId.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "staff global KV entries need the staff user id");
        }
        if (price != null && price < 0) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "global KV price must be 0 or more, got " + price);
        }
        insert(staffUserId, "staff", entry, price, "for staff user " + staffUserId);
    }

    private void insert(String ownerId, String ownerType, CreateGlobalKv entry, Integer price, String forWhom) {
        String[] json = GlobalKvRules.checkCreate(entry);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CREATE)) {
            ps.setString(1, entry.key());
            ps.setInt(2, entry.version());
            ps.setString(3, ownerId);
            ps.setString(4, ownerType);
            ps.setString(5, json[1]);
            ps.setString(6, json[0]);
            ps.setBoolean(7, entry.publicData());
            ps.setString(8, entry.scope());
            if (price == null) {
                ps.setNull(9, java.sql.Types.INTEGER);
            } else {
                ps.setInt(9, price);
            }
            ps.setString(10, entry.shortDescription());
            ps.setString(11, entry.longDescription());
            ps.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new StoreException(StoreException.Kind.CONFLICT, "global KV entry " + entry.key() + " version "
                        + entry.version() + " in scope " + entry.scope() + " already exists; pick a new version");
            }
            throw Sql.failure(e, "global KV create " + forWhom);
        }
    }

    @Override
    public void delete(TenantId owner, String key, int version, String scope) {
        GlobalKvRules.checkKey(key);
        GlobalKvRules.checkScope(scope);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE)) {
            ps.setString(1, key);
            ps.setInt(2, version);
            ps.setString(3, scope);
            ps.setString(4, owner.idString());
            ps.setString(5, owner.type().sqlName());
            if (ps.executeUpdate() == 0) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no global KV entry " + key + " version " + version
                        + " in scope " + scope + " owned by " + owner + " (only the owner can delete an entry)");
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "global KV delete for " + owner);
        }
    }

    @Override
    public void setReviewState(String key, int version, String scope, ReviewState state) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_REVIEW)) {
            ps.setString(1, state.sqlName());
            ps.setString(2, key);
            ps.setInt(3, version);
            ps.setString(4, scope);
            if (ps.executeUpdate() == 0) {
                throw new StoreException(StoreException.Kind.NOT_FOUND, "no global KV entry " + key + " version " + version
                        + " in scope " + scope);
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "global KV review of " + key);
        }
    }

    @Override
    public void recordPurchase(TenantId buyer, String key, int version, String scope) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(SQL_PURCHASE)) {
                ps.setString(1, buyer.idString());
                ps.setString(2, buyer.type().sqlName());
                ps.setString(3, key);
                ps.setInt(4, version);
                ps.setString(5, scope);
                if (ps.executeUpdate() == 1) {
                    return;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(SQL_IS_PRICED)) {
                ps.setString(1, key);
                ps.setInt(2, version);
                ps.setString(3, scope);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new StoreException(StoreException.Kind.NOT_FOUND, "no priced global KV entry " + key
                                + " version " + version + " in scope " + scope + " to purchase");
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "global KV purchase by " + buyer);
        }
    }

    private String purchaseUrl(String key, int version, String scope) {
        return purchaseUrlPrefix + URLEncoder.encode(key, StandardCharsets.UTF_8) + "?version=" + version
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    }

    private static PartialGlobalKv readPartial(ResultSet rs, String longDescription) throws SQLException {
        int price = rs.getInt("price");
        Integer priceOrNull = rs.wasNull() ? null : price;
        String key = rs.getString("key");
        return new PartialGlobalKv(key, rs.getInt("version"), rs.getString("owner_id"), rs.getString("owner_type"),
                priceOrNull, rs.getString("short"), decode(rs.getString("public_metadata"), key), rs.getString("scope"),
                Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "last_updated_at"), rs.getBoolean("public_data"),
                ReviewState.parse(rs.getString("review_state")), longDescription);
    }

    private static KhronosValue decode(String json, String key) {
        if (json == null) {
            return KhronosValue.Null.INSTANCE;
        }
        try {
            return KhronosJson.fromJson(json);
        } catch (KhronosException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "global KV entry " + key
                    + " holds JSON that is not a KhronosValue: " + e.getMessage(), e);
        }
    }
}
