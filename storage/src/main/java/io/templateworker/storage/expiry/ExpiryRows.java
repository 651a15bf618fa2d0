package io.templateworker.storage.expiry;

import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key expiry engine's statements over {@code tenant_kv}: loading the window, claiming due keys under a lease,
 * giving claims back, deleting delivered keys, recording failed deliveries and finding resume keys. It holds no
 * scheduling state (that is {@link KeyExpiryEngine}'s); each call takes a pooled connection of its own. Reads and
 * claims report a failure as a {@link StoreException}; the writes the engine survives without (unclaim, delete,
 * record a failure) throw the {@link SQLException}, and the engine decides whether to retry, log or go on.
 */
final class ExpiryRows {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryRows.class);
    private static final String ROW = "id, owner_id, owner_type, key, scopes, expires_at";
    private static final String LEASE_FREE = "(expiry_lease_until is null or expiry_lease_until <= ?)";
    private static final String SQL_RESUME_TENANT = "select " + ROW + " from tenant_kv where owner_id = ? and owner_type = ? and resume";
    /**
     * Claims the listed keys that the database says are due by the claim horizon and not leased beyond it.
     * Matching by id with {@code = any} keeps this an index lookup; a key moved later meanwhile is skipped,
     * one moved earlier is fired with its new expiry. (A lease ending within the horizon is a retry backoff
     * or an abandoned claim: the dispatch timeout is shorter than the lease by more than the horizon.) The
     * (id, claim token) pairs of the second list may also be taken while leased: they are keys whose earlier
     * claim with that token failed without an answer, so it may have committed.
     *
     * <p>A plain update, not {@code select ... for update skip locked}: a row another transaction holds (a KV
     * write, or a second engine's claim) is waited for and its conditions checked again on the committed row,
     * so each key is claimed once; skipping it instead would leave it to the next rescan (up to a second
     * late), and the extra row lock cost a WAL record per key (claims took 1.7x as long with fsync on).
     */
    private static final String SQL_CLAIM = "update tenant_kv t set expiry_lease_until = ?, expiry_lease_token = ?,"
            + " expiry_event_call_attempts = t.expiry_event_call_attempts + 1"
            + " where t.id = any(?::text[]) and t.expires_at <= ? and (t.expiry_lease_until is null"
            + " or t.expiry_lease_until <= ? or (t.id, t.expiry_lease_token) in (select * from unnest(?::text[], ?::text[])))"
            + " returning t.id, t.owner_id, t.owner_type, t.key, t.scopes, t.expires_at, t.expiry_event_call_attempts";
    /** Gives back claims that were never dispatched (engine closing). */
    private static final String SQL_UNCLAIM = "update tenant_kv set expiry_lease_until = null,"
            + " expiry_event_call_attempts = greatest(expiry_event_call_attempts - 1, 0) where id = any(?::text[])";
    /** Deletes delivered keys whose expiry is still the one delivered (a key moved meanwhile stays). */
    private static final String SQL_DELETE_DONE = "delete from tenant_kv where id = any(?::text[]) and (id, expires_at) in"
            + " (select d.id, timestamptz 'epoch' + d.us * interval '1 microsecond' from unnest(?::text[], ?::bigint[]) as d(id, us))";
    private static final String SQL_RELEASE = "update tenant_kv set expiry_lease_until = ? where id = ?"
            + " and expires_at = timestamptz 'epoch' + ? * interval '1 microsecond'";

    /** A key row as loaded. */
    record Row(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt) {
    }

    private final DataSource dataSource;
    private final ExpiryConfig config;
    private final String logPrefix;
    private final String sqlLoadFrom;
    private final String sqlLoadUpTo;
    private final String sqlResumeAll;

    ExpiryRows(DataSource dataSource, ExpiryConfig config, String logPrefix) {
        this.dataSource = dataSource;
        this.config = config;
        this.logPrefix = logPrefix;
        // The partition bounds are integers from the validated config, not user input.
        String partition = config.workers() == 1 ? "" : " and (case when owner_id ~ '^[0-9]{1,19}$' then"
                + " ((owner_id::bigint >> 22) % " + config.workers() + ") else -1 end) = " + config.workerId();
        String base = "select " + ROW + " from tenant_kv where expires_at is not null and " + LEASE_FREE + partition;
        this.sqlLoadFrom = base + " and expires_at >= ? and expires_at < ? order by expires_at limit ?";
        this.sqlLoadUpTo = base + " and expires_at < ? order by expires_at limit ?";
        this.sqlResumeAll = "select " + ROW + " from tenant_kv where resume" + partition;
    }

    /** This worker's unleased keys expiring before {@code to}, earliest first, at most {@code limit}. */
    List<Row> loadUpTo(Instant to, int limit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sqlLoadUpTo)) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, to);
            ps.setInt(3, limit);
            return readRows(ps);
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry load for worker " + config.workerId());
        }
    }

    /** As {@link #loadUpTo}, from {@code from} on ({@link Instant#MIN}: from now). */
    List<Row> loadFrom(Instant from, Instant to, int limit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sqlLoadFrom)) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, from.equals(Instant.MIN) ? now : from);
            Sql.setInstant(ps, 3, to);
            ps.setInt(4, limit);
            return readRows(ps);
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry window slide for worker " + config.workerId());
        }
    }

    /**
     * Claims {@code ids} under lease {@code token} until {@code leaseUntil} (see {@link #SQL_CLAIM}), taking over
     * the leases the pairs ({@code retriedIds}, {@code retriedTokens}) name; returns an event per key claimed.
     */
    List<KeyEvent> claim(String[] ids, List<String> retriedIds, List<String> retriedTokens, String token,
                         Instant horizon, Instant leaseUntil) {
        List<KeyEvent> events = new ArrayList<>(ids.length);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CLAIM)) {
            Sql.setInstant(ps, 1, leaseUntil);
            ps.setString(2, token);
            ps.setArray(3, c.createArrayOf("text", ids));
            Sql.setInstant(ps, 4, horizon);
            Sql.setInstant(ps, 5, horizon);
            ps.setArray(6, c.createArrayOf("text", retriedIds.toArray(new String[0])));
            ps.setArray(7, c.createArrayOf("text", retriedTokens.toArray(new String[0])));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs);
                    if (row != null) {
                        events.add(new KeyEvent(KeyEvent.Kind.EXPIRY, row.tenant, row.id, row.key, row.scopes,
                                row.expiresAt, KeyExpiryEngine.deliveryId(row.id, row.expiresAt), rs.getInt(7)));
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry claim for worker " + config.workerId());
        }
        return events;
    }

    /** Gives the claims of {@code ids} back, with the attempt they counted. */
    void unclaim(List<String> ids) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_UNCLAIM)) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray(new String[0])));
            ps.executeUpdate();
        }
    }

    /** Deletes the delivered keys of {@code done} whose expiry is still the one delivered, in one statement. */
    void deleteDelivered(List<KeyEvent> done) throws SQLException {
        String[] ids = new String[done.size()];
        Long[] micros = new Long[done.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = done.get(i).id();
            micros[i] = Sql.epochMicros(done.get(i).dueAt());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_DELETE_DONE)) {
            Array idArray = c.createArrayOf("text", ids);
            ps.setArray(1, idArray);
            ps.setArray(2, idArray);
            ps.setArray(3, c.createArrayOf("bigint", micros));
            ps.executeUpdate();
        }
    }

    /**
     * Records a failed delivery of {@code event}: its lease runs until {@code retryAt}, or for ever when
     * {@code park} (the key stays parked until its expiry is set again).
     */
    void recordFailure(KeyEvent event, boolean park, Instant retryAt) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_RELEASE)) {
            if (park) {
                ps.setObject(1, "infinity", java.sql.Types.OTHER);
            } else {
                Sql.setInstant(ps, 1, retryAt);
            }
            ps.setString(2, event.id());
            ps.setLong(3, Sql.epochMicros(event.dueAt()));
            ps.executeUpdate();
        }
    }

    /** A KeyResume event per resume key of {@code tenant} ({@code null}: of every tenant of this worker). */
    List<KeyEvent> resumes(TenantId tenant, Instant now) {
        List<KeyEvent> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(tenant == null ? sqlResumeAll : SQL_RESUME_TENANT)) {
            if (tenant != null) {
                ps.setString(1, tenant.idString());
                ps.setString(2, tenant.type().sqlName());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs);
                    if (row != null) {
                        events.add(new KeyEvent(KeyEvent.Kind.RESUME, row.tenant, row.id, row.key, row.scopes, now,
                                row.id + ":resume:" + Sql.epochMicros(now), 1));
                    }
                }
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "resume key query" + (tenant == null ? " for worker " + config.workerId() : " for " + tenant));
        }
        return events;
    }

    private List<Row> readRows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Row row = readRow(rs);
                if (row != null) {
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** The row under {@code rs}'s cursor, or null (logged) when its owner is not a valid tenant. */
    private Row readRow(ResultSet rs) throws SQLException {
        TenantId tenant;
        try {
            tenant = TenantId.parse(rs.getString("owner_type"), rs.getString("owner_id"));
        } catch (StoreException e) {
            LOG.warn("{}skipping KV row {} with an invalid owner: {}", logPrefix, rs.getString("id"), e.getMessage());
            return null;
        }
        return new Row(tenant, rs.getString("id"), rs.getString("key"), Sql.getTextList(rs, "scopes"),
                Sql.getInstant(rs, "expires_at"));
    }
}
