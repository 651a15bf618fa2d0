package io.templateworker.storage.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.storage.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/** {@link TenantStateStore} on {@code tenant_state}; one row per tenant, created on first write. */
public final class PostgresTenantStateStore implements TenantStateStore {

    /** Longest event name accepted in a subscription list. */
    public static final int MAX_EVENT_NAME = 256;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQL_GET = "select events, banned, data, can_manage_guild_commands from tenant_state where owner_id = ? and owner_type = ?";
    private static final String SQL_SET = "insert into tenant_state (owner_id, owner_type, events, data) values (?, ?, ?, ?::jsonb)"
            + " on conflict (owner_id, owner_type) do update set events = excluded.events, data = excluded.data";
    private static final String SQL_BAN = "insert into tenant_state (owner_id, owner_type, banned) values (?, ?, ?)"
            + " on conflict (owner_id, owner_type) do update set banned = excluded.banned";
    private static final String SQL_GUILD_COMMANDS = "insert into tenant_state (owner_id, owner_type, can_manage_guild_commands)"
            + " values (?, ?, ?) on conflict (owner_id, owner_type) do update set can_manage_guild_commands ="
            + " excluded.can_manage_guild_commands";
    private static final String SQL_LIST_ALL = "select owner_id, owner_type, events, banned, data, can_manage_guild_commands from tenant_state";
    private static final String SQL_LIST_WORKER = SQL_LIST_ALL
            + " where owner_id ~ '^[0-9]{1,19}$' and ((owner_id::bigint >> 22) % ?) = ?";

    private final DataSource dataSource;

    public PostgresTenantStateStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public TenantState get(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GET)) {
            ps.setString(1, tenant.idString());
            ps.setString(2, tenant.type().sqlName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, tenant) : TenantState.empty();
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "tenant state get for " + tenant);
        }
    }

    @Override
    public void set(TenantId tenant, TenantState state) {
        Set<String> events = state.events();
        if (events.size() > TenantState.MAX_EVENTS) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "tenant state of " + tenant + " lists "
                    + events.size() + " events; the limit is " + TenantState.MAX_EVENTS);
        }
        for (String event : events) {
            if (event == null || event.isEmpty() || event.length() > MAX_EVENT_NAME || event.indexOf('\0') >= 0) {
                throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "tenant state of " + tenant
                        + ": event names must be 1.." + MAX_EVENT_NAME + " characters without NUL, got \"" + event + "\"");
            }
        }
        String data;
        try {
            data = JSON.writeValueAsString(state.data());
        } catch (JsonProcessingException e) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "tenant state data of " + tenant
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_SET)) {
            ps.setString(1, tenant.idString());
            ps.setString(2, tenant.type().sqlName());
            ps.setArray(3, Sql.textArray(c, List.copyOf(new java.util.TreeSet<>(events))));
            ps.setString(4, data);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, "tenant state set for " + tenant);
        }
    }

    @Override
    public void setBanned(TenantId tenant, boolean banned) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_BAN)) {
            ps.setString(1, tenant.idString());
            ps.setString(2, tenant.type().sqlName());
            ps.setBoolean(3, banned);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, "tenant ban for " + tenant);
        }
    }

    /**
     * Staff action: lets (or stops) the tenant's templates create guild slash commands ({@code ctx.Discord}'s
     * create_guild_command(s); HEAD's CAN_MANAGE_GUILD_COMMANDS). Like the ban flag, template writes never change it.
     */
    @Override
    public void setCanManageGuildCommands(TenantId tenant, boolean allowed) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GUILD_COMMANDS)) {
            ps.setString(1, tenant.idString());
            ps.setString(2, tenant.type().sqlName());
            ps.setBoolean(3, allowed);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw Sql.failure(e, "guild-commands flag for " + tenant);
        }
    }

    @Override
    public Map<TenantId, TenantState> listForWorker(int workerId, int workers) {
        if (workers < 1 || workerId < 0 || workerId >= workers) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT,
                    "worker " + workerId + " of " + workers + ": expected 0 <= worker < workers");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_LIST_WORKER)) {
            ps.setInt(1, workers);
            ps.setInt(2, workerId);
            Map<TenantId, TenantState> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TenantId tenant;
                    try {
                        tenant = TenantId.parse(rs.getString("owner_type"), rs.getString("owner_id"));
                    } catch (StoreException e) {
                        continue; // a row no tenant can own (hand-edited data); nothing to dispatch to
                    }
                    out.put(tenant, read(rs, tenant));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "tenant state listing for worker " + workerId);
        }
    }

    private static TenantState read(ResultSet rs, TenantId tenant) throws SQLException {
        JsonNode data;
        try {
            data = JSON.readTree(rs.getString("data"));
        } catch (JsonProcessingException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "tenant state data of " + tenant + " is not JSON", e);
        }
        if (data == null || !data.isObject()) {
            data = JSON.createObjectNode();
        }
        return new TenantState(new LinkedHashSet<>(Sql.getTextList(rs, "events")), rs.getBoolean("banned"), data,
                rs.getBoolean("can_manage_guild_commands"));
    }
}
