package io.templateworker.storage.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/** {@link TemplateStore} on the {@code templates} table; names are unique per tenant. */
public final class PostgresTemplateStore implements TemplateStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> CONTENT = new TypeReference<>() { };
    private static final String COLUMNS = "name, content, events, allowed_caps, paused, error_channel, language, created_at, last_updated_at";
    private static final String OWNER = "owner_id = ? and owner_type = ?";
    private static final String SQL_LIST = "select " + COLUMNS + " from templates where " + OWNER + " order by name collate \"C\"";
    private static final String SQL_GET = "select " + COLUMNS + " from templates where " + OWNER + " and name = ?";
    private static final String SQL_CREATE = "insert into templates (owner_id, owner_type, name, content, events, allowed_caps,"
            + " paused, error_channel, language) values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?) returning " + COLUMNS;
    private static final String SQL_UPDATE = "update templates set name = ?, content = ?::jsonb, events = ?, allowed_caps = ?,"
            + " paused = ?, error_channel = ?, language = ?, last_updated_at = now() where " + OWNER + " and name = ? returning " + COLUMNS;
    private static final String SQL_DELETE = "delete from templates where " + OWNER + " and name = ?";
    private static final String SQL_CLEAR_ERROR_CHANNEL = "update templates set error_channel = null where " + OWNER
            + " and name = ? and error_channel = ?";
    private static final String SQL_LISTENING = "select distinct owner_id, owner_type from templates where not paused"
            + " and ? = any(events) and owner_id ~ '^[0-9]{1,19}$' and ((owner_id::bigint >> 22) % ?) = ?";

    private final DataSource dataSource;

    public PostgresTemplateStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public List<Template> list(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_LIST)) {
            bindOwner(ps, 1, tenant);
            List<Template> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs, tenant));
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "template list for " + tenant);
        }
    }

    @Override
    public Template get(TenantId tenant, String name) {
        if (name == null) {
            return null;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_GET)) {
            bindOwner(ps, 1, tenant);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, tenant) : null;
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "template get for " + tenant);
        }
    }

    /** One statement, so a concurrent edit of the template is never overwritten (and a new channel is kept). */
    @Override
    public boolean clearErrorChannel(TenantId tenant, String name, String channel) {
        if (name == null || channel == null) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CLEAR_ERROR_CHANNEL)) {
            bindOwner(ps, 1, tenant);
            ps.setString(3, name);
            ps.setString(4, channel);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Sql.failure(e, "clearing the error channel of template " + name + " for " + tenant);
        }
    }

    @Override
    public Template create(TenantId tenant, TemplateSpec spec) {
        TemplateSpec valid = TemplateRules.validate(spec);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CREATE)) {
            bindOwner(ps, 1, tenant);
            ps.setString(3, valid.name());
            bindSpecBody(c, ps, 4, valid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs, tenant);
            }
        } catch (SQLException e) {
            throw conflictOr(e, valid.name(), tenant, "template create");
        }
    }

    @Override
    public Template update(TenantId tenant, String name, TemplateSpec spec) {
        TemplateSpec valid = TemplateRules.validate(spec);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_UPDATE)) {
            ps.setString(1, valid.name());
            bindSpecBody(c, ps, 2, valid);
            bindOwner(ps, 8, tenant);
            ps.setString(10, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StoreException(StoreException.Kind.NOT_FOUND, "no template named \"" + name + "\" for " + tenant);
                }
                return read(rs, tenant);
            }
        } catch (SQLException e) {
            throw conflictOr(e, valid.name(), tenant, "template update");
        }
    }

    @Override
    public boolean delete(TenantId tenant, String name) {
        if (name == null) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE)) {
            bindOwner(ps, 1, tenant);
            ps.setString(3, name);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw Sql.failure(e, "template delete for " + tenant);
        }
    }

    @Override
    public List<TenantId> tenantsListening(String event, int workerId, int workers) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_LISTENING)) {
            ps.setString(1, event);
            ps.setInt(2, workers);
            ps.setInt(3, workerId);
            List<TenantId> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(TenantId.parse(rs.getString(2), rs.getString(1)));
                    } catch (StoreException e) {
                        // a row no tenant can own (hand-edited data): nothing to send to
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "templates listening to " + event);
        }
    }

    /** Binds content, events, allowed_caps, paused, error_channel, language from {@code index}. */
    private static void bindSpecBody(Connection c, PreparedStatement ps, int index, TemplateSpec spec) throws SQLException {
        try {
            ps.setString(index, JSON.writeValueAsString(spec.content()));
        } catch (JsonProcessingException e) {
            throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "template content cannot be written as JSON", e);
        }
        ps.setArray(index + 1, Sql.textArray(c, spec.events()));
        ps.setArray(index + 2, Sql.textArray(c, spec.allowedCaps()));
        ps.setBoolean(index + 3, spec.paused());
        ps.setString(index + 4, spec.errorChannel());
        ps.setString(index + 5, spec.language());
    }

    private static StoreException conflictOr(SQLException e, String name, TenantId tenant, String what) {
        if ("23505".equals(e.getSQLState())) {
            return new StoreException(StoreException.Kind.CONFLICT, "a template named \"" + name + "\" already exists for "
                    + tenant + "; choose another name or update it");
        }
        return Sql.failure(e, what + " for " + tenant);
    }

    private static void bindOwner(PreparedStatement ps, int index, TenantId tenant) throws SQLException {
        ps.setString(index, tenant.idString());
        ps.setString(index + 1, tenant.type().sqlName());
    }

    private static Template read(ResultSet rs, TenantId tenant) throws SQLException {
        Map<String, String> content;
        try {
            content = JSON.readValue(rs.getString("content"), CONTENT);
        } catch (JsonProcessingException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "template \"" + rs.getString("name") + "\" of "
                    + tenant + " has content that is not a map of path to source", e);
        }
        return new Template(tenant, rs.getString("name"), content, Sql.getTextList(rs, "events"),
                Sql.getTextList(rs, "allowed_caps"), rs.getBoolean("paused"), rs.getString("error_channel"),
                rs.getString("language"), Sql.getInstant(rs, "created_at"), Sql.getInstant(rs, "last_updated_at"));
    }
}
