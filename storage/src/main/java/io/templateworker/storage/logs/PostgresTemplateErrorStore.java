package io.templateworker.storage.logs;

import io.templateworker.runtime.store.TemplateError;
import io.templateworker.runtime.store.TemplateErrorStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link TemplateErrorStore} on {@code template_errors}. Each append is one transaction: the rows, then, for
 * each tenant in the batch, the removal of its rows beyond the latest {@link #KEPT_PER_TENANT}.
 */
public final class PostgresTemplateErrorStore implements TemplateErrorStore {

    private static final String OWNER = "owner_id = ? and owner_type = ?";
    private static final String SQL_INSERT = "insert into template_errors (owner_id, owner_type, template, event, message,"
            + " traceback, created_at) values (?, ?, ?, ?, ?, ?, ?)";
    private static final String SQL_PRUNE = "delete from template_errors where " + OWNER + " and id <= (select id from"
            + " template_errors where " + OWNER + " order by id desc offset " + KEPT_PER_TENANT + " limit 1)";
    private static final String SQL_RECENT = "select template, event, message, traceback, created_at from template_errors"
            + " where " + OWNER + " and created_at < ? order by id desc limit ?";
    /** Longest message or traceback kept (a template can raise an error of any size). */
    static final int MAX_TEXT = 16 * 1024;

    private final DataSource dataSource;

    public PostgresTemplateErrorStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public void append(List<TemplateError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        Set<TenantId> tenants = new LinkedHashSet<>();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(SQL_INSERT)) {
                    for (TemplateError e : errors) {
                        ps.setString(1, e.tenant().idString());
                        ps.setString(2, e.tenant().type().sqlName());
                        ps.setString(3, e.template());
                        ps.setString(4, e.event());
                        ps.setString(5, clip(e.message() == null ? "" : e.message()));
                        ps.setString(6, e.traceback() == null ? null : clip(e.traceback()));
                        Sql.setInstant(ps, 7, e.at() == null ? Instant.now() : e.at());
                        ps.addBatch();
                        tenants.add(e.tenant());
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement(SQL_PRUNE)) {
                    for (TenantId t : tenants) {
                        ps.setString(1, t.idString());
                        ps.setString(2, t.type().sqlName());
                        ps.setString(3, t.idString());
                        ps.setString(4, t.type().sqlName());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "recording " + errors.size() + " template errors");
        }
    }

    @Override
    public List<TemplateError> recent(TenantId tenant, int limit, Instant before) {
        if (limit <= 0) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_RECENT)) {
            ps.setString(1, tenant.idString());
            ps.setString(2, tenant.type().sqlName());
            Sql.setInstant(ps, 3, before == null ? Instant.now().plusSeconds(1) : before);
            ps.setInt(4, Math.min(limit, KEPT_PER_TENANT));
            List<TemplateError> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TemplateError(tenant, rs.getString("template"), rs.getString("event"), rs.getString("message"),
                            rs.getString("traceback"), Sql.getInstant(rs, "created_at")));
                }
            }
            Collections.reverse(out);
            return out;
        } catch (SQLException e) {
            throw Sql.failure(e, "template errors of " + tenant);
        }
    }

    /** Bounded, and without NUL characters (PostgreSQL text cannot hold them; a Luau string can). */
    private static String clip(String text) {
        String t = text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT) + " …(truncated)";
    }
}
