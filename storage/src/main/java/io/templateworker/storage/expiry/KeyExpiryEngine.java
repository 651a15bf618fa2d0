package io.templateworker.storage.expiry;

import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires KeyExpiry and KeyResume events for one worker's tenants. See the package documentation for the
 * design; in short:
 *
 * <ol>
 *   <li>{@link #start()} loads every key due within the window (overdue ones included, which fire at once)
 *       and emits KeyResume for the worker's resume keys.</li>
 *   <li>The scheduler thread sleeps until the earliest in-memory key is due, claims the due keys in one
 *       statement (lease + attempt counter, {@code FOR UPDATE SKIP LOCKED}, only rows the database says are
 *       due and unleased), and hands each claimed key to the {@link KeyEventDispatcher}. It does nothing
 *       else, so its wake-ups stay on time.</li>
 *   <li>The finisher thread collects dispatch outcomes: successes are deleted in batches (only rows whose
 *       expiry is unchanged), failures get a backoff lease and a retry, or are parked and reported after
 *       {@link ExpiryConfig#maxAttempts()}.</li>
 *   <li>The loader thread extends the window every {@code slideInterval} and every {@code rescanInterval}
 *       searches the database for overdue keys nobody holds (written by another process without a listener
 *       call, or leased by an engine that crashed). Such keys fire at most one rescan interval late.</li>
 * </ol>
 */
public final class KeyExpiryEngine implements ExpiryListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyExpiryEngine.class);
    private static final String ROW = "id, owner_id, owner_type, key, scopes, expires_at";
    private static final String LEASE_FREE = "(expiry_lease_until is null or expiry_lease_until <= ?)";

    private final DataSource dataSource;
    private final KeyEventDispatcher dispatcher;
    private final ExpiryFailureHandler failureHandler;
    private final ExpiryConfig config;
    private final InstantSource clock;
    private final String logPrefix;

    private final String sqlLoadFrom;
    private final String sqlLoadUpTo;
    private final String sqlResumeAll;
    private static final String SQL_RESUME_TENANT = "select " + ROW + " from tenant_kv where owner_id = ? and owner_type = ? and resume";
    /**
     * Claims the listed keys that the database says are due and not leased. Matching by id with {@code = any}
     * keeps this an index lookup; "due per the database" means a key moved later meanwhile is skipped, and
     * one moved earlier is fired with its new expiry.
     */
    private static final String SQL_CLAIM = "with due as (select id from tenant_kv where id = any(?::text[])"
            + " and expires_at <= ? and (expiry_lease_until is null or expiry_lease_until <= ?)"
            + " for update skip locked)"
            + " update tenant_kv t set expiry_lease_until = ?, expiry_event_call_attempts = t.expiry_event_call_attempts + 1"
            + " where t.id in (select id from due)"
            + " returning t.id, t.owner_id, t.owner_type, t.key, t.scopes, t.expires_at, t.expiry_event_call_attempts";
    /** Deletes delivered keys whose expiry is still the one delivered (a key moved meanwhile stays). */
    private static final String SQL_DELETE_DONE = "delete from tenant_kv where id = any(?::text[]) and (id, expires_at) in"
            + " (select d.id, timestamptz 'epoch' + d.us * interval '1 microsecond' from unnest(?::text[], ?::bigint[]) as d(id, us))";
    private static final String SQL_RELEASE = "update tenant_kv set expiry_lease_until = ? where id = ?"
            + " and expires_at = timestamptz 'epoch' + ? * interval '1 microsecond'";

    // ----- state guarded by lock -----
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    /** The live entry per key id; heap entries that are not the live one are stale and skipped. */
    private final Map<String, Entry> live = new HashMap<>();
    /** Keys with expires_at before this were loaded (or will be found by rescans); listener adds below it. */
    private Instant loadedUntil = Instant.MIN;
    private long sequence;
    /** Used by the loader thread only. */
    private Instant nextSlide;
    private Instant nextRescan;

    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread scheduler;
    private Thread finisher;
    private Thread loader;

    private final LongAdder claimed = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder resumesSent = new LongAdder();

    public KeyExpiryEngine(DataSource dataSource, KeyEventDispatcher dispatcher, ExpiryFailureHandler failureHandler,
                           ExpiryConfig config, InstantSource clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logPrefix = "worker=" + config.workerId() + " ";
        // The partition bounds are integers from the validated config, not user input.
        String partition = config.workers() == 1 ? "" : " and (case when owner_id ~ '^[0-9]{1,19}$' then"
                + " ((owner_id::bigint >> 22) % " + config.workers() + ") else -1 end) = " + config.workerId();
        String base = "select " + ROW + " from tenant_kv where expires_at is not null and " + LEASE_FREE + partition;
        this.sqlLoadFrom = base + " and expires_at >= ? and expires_at < ? order by expires_at limit ?";
        this.sqlLoadUpTo = base + " and expires_at < ? order by expires_at limit ?";
        this.sqlResumeAll = "select " + ROW + " from tenant_kv where resume" + partition;
    }

    // ================================================================ lifecycle

    /**
     * Loads the window (overdue keys fire right after this returns), emits KeyResume for this worker's
     * resume keys, and starts the threads.
     *
     * @throws StoreException if the database cannot be read; the caller may retry (nothing was started)
     */
    public void start() {
        if (running) {
            throw new IllegalStateException("key expiry engine for worker " + config.workerId() + " already started");
        }
        Instant now = clock.instant();
        List<Entry> initial = loadUpTo(now.plus(config.window()), config.maxInMemory(), now);
        lock.lock();
        try {
            Instant end = now.plus(config.window());
            if (initial.size() >= config.maxInMemory()) {
                end = initial.get(initial.size() - 1).expiresAt;
            }
            loadedUntil = end;
            merge(initial);
            nextSlide = now.plus(config.slideInterval());
            nextRescan = now.plus(config.rescanInterval());
        } finally {
            lock.unlock();
        }
        running = true;
        scheduler = Thread.ofPlatform().name("key-expiry-" + config.workerId()).daemon().start(this::schedulerLoop);
        finisher = Thread.ofPlatform().name("key-expiry-finish-" + config.workerId()).daemon().start(this::finisherLoop);
        loader = Thread.ofPlatform().name("key-expiry-load-" + config.workerId()).daemon().start(this::loaderLoop);
        LOG.info("{}key expiry engine started: {} keys due within {}", logPrefix, initial.size(), config.window());
        emitResumes(queryResumes(null));
    }

    /**
     * Stops the threads. Outcomes already reported are finished (deleted or rescheduled); dispatches still
     * running keep their lease and are delivered again by the next engine once it runs out.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        outcomes.add(Outcome.STOP);
        loader.interrupt();
        join(loader);
        join(scheduler);
        join(finisher);
    }

    private static void join(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Emits KeyResume for each resume key of {@code tenant}: call after its VM was (re)built. */
    public void resumeTenant(TenantId tenant) {
        emitResumes(queryResumes(tenant));
    }

    // ================================================================ listener

    @Override
    public void expiryChanged(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt) {
        if (tenant.workerOf(config.workers()) != config.workerId()) {
            return;
        }
        lock.lock();
        try {
            if (expiresAt == null || !expiresAt.isBefore(loadedUntil)) {
                // Cancelled, or beyond the window (the next slide loads it): forget any entry we hold.
                live.remove(id);
                return;
            }
            Entry e = new Entry(tenant, id, key, scopes, expiresAt, expiresAt, ++sequence);
            live.put(id, e);
            heap.add(e);
            if (heap.peek() == e) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    // ================================================================ statistics

    /** Counters since start, for tests, benchmarks and metrics. */
    public record Stats(long claimed, long delivered, long failedAttempts, long gaveUp, long resumesSent, int inMemory) {
    }

    public Stats stats() {
        int size;
        lock.lock();
        try {
            size = live.size();
        } finally {
            lock.unlock();
        }
        return new Stats(claimed.sum(), delivered.sum(), failedAttempts.sum(), gaveUp.sum(), resumesSent.sum(), size);
    }

    // ================================================================ scheduler thread

    private void schedulerLoop() {
        List<Entry> due = new ArrayList<>(config.batchSize());
        while (running) {
            due.clear();
            lock.lock();
            try {
                Instant now = clock.instant();
                collectDue(now, due);
                if (due.isEmpty()) {
                    awaitNext(now);
                    continue;
                }
            } finally {
                lock.unlock();
            }
            try {
                claimAndDispatch(due);
            } catch (RuntimeException e) {
                // The database is the source of truth: keys popped here are found again by the rescan.
                LOG.warn("{}key expiry claim failed, will retry: {}", logPrefix, e.getMessage());
                pause(Duration.ofMillis(200));
            }
        }
    }

    /** Slides the window and rescans on their intervals, off the timer thread so its wake-ups stay on time. */
    private void loaderLoop() {
        while (running) {
            Instant now = clock.instant();
            Instant next = nextSlide.isBefore(nextRescan) ? nextSlide : nextRescan;
            long nanos = Duration.between(now, next).toNanos();
            if (nanos > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(nanos));
                } catch (InterruptedException e) {
                    return; // close()
                }
                continue;
            }
            try {
                if (!now.isBefore(nextSlide)) {
                    nextSlide = now.plus(config.slideInterval());
                    slide();
                }
                if (!now.isBefore(nextRescan)) {
                    nextRescan = now.plus(config.rescanInterval());
                    rescan();
                }
            } catch (RuntimeException e) {
                LOG.warn("{}key expiry window load failed, will retry: {}", logPrefix, e.getMessage());
            }
        }
    }

    /** Pops live entries due at {@code now}, at most one batch. Caller holds the lock. */
    private void collectDue(Instant now, List<Entry> due) {
        while (due.size() < config.batchSize()) {
            Entry head = heap.peek();
            if (head == null || head.fireAt.isAfter(now)) {
                return;
            }
            heap.poll();
            if (live.get(head.id) == head) {
                live.remove(head.id);
                due.add(head);
            }
        }
    }

    /** Sleeps until the head is due, a new earlier entry is signalled, or close. Caller holds the lock. */
    private void awaitNext(Instant now) {
        Entry head = heap.peek();
        while (head != null && live.get(head.id) != head) {
            heap.poll(); // drop stale entries so they do not cause early wake-ups
            head = heap.peek();
        }
        try {
            if (head == null) {
                wake.await();
                return;
            }
            long nanos = Duration.between(now, head.fireAt).toNanos();
            if (nanos > 0) {
                wake.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void slide() {
        Instant now = clock.instant();
        Instant from;
        lock.lock();
        try {
            from = loadedUntil;
        } finally {
            lock.unlock();
        }
        Instant to = now.plus(config.window());
        int room = config.maxInMemory() - stats().inMemory();
        if (!to.isAfter(from) || room < config.batchSize()) {
            return;
        }
        List<Entry> rows = loadFrom(from, to, room, now);
        lock.lock();
        try {
            loadedUntil = rows.size() >= room ? rows.get(rows.size() - 1).expiresAt : to;
            merge(rows);
        } finally {
            lock.unlock();
        }
    }

    private void rescan() {
        Instant now = clock.instant();
        // Overdue keys nobody holds: written by another process inside the window, retried by another engine,
        // or leased by an engine that crashed and whose lease ran out. Keys held in memory are skipped by merge.
        List<Entry> rows = loadUpTo(now, config.maxInMemory(), now);
        lock.lock();
        try {
            merge(rows);
        } finally {
            lock.unlock();
        }
    }

    /** Adds loaded rows not already held with the same expiry. Caller holds the lock. */
    private void merge(List<Entry> rows) {
        Entry first = heap.peek();
        for (int i = 0; i < rows.size(); i++) {
            Entry row = rows.get(i);
            Entry held = live.get(row.id);
            if (held != null && held.expiresAt.equals(row.expiresAt)) {
                continue;
            }
            Entry e = new Entry(row.tenant, row.id, row.key, row.scopes, row.expiresAt, row.fireAt, ++sequence);
            live.put(e.id, e);
            heap.add(e);
        }
        if (heap.peek() != first) {
            wake.signal();
        }
    }

    private void claimAndDispatch(List<Entry> due) {
        Instant now = clock.instant();
        Instant leaseUntil = Sql.toMicros(now.plus(config.lease()));
        List<KeyEvent> events = new ArrayList<>(due.size());
        String[] ids = new String[due.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = due.get(i).id;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_CLAIM)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            Sql.setInstant(ps, 2, now);
            Sql.setInstant(ps, 3, now);
            Sql.setInstant(ps, 4, leaseUntil);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = readRow(rs);
                    if (row == null) {
                        continue;
                    }
                    int attempt = rs.getInt(7);
                    events.add(new KeyEvent(KeyEvent.Kind.EXPIRY, row.tenant, row.id, row.key, row.scopes, row.expiresAt,
                            deliveryId(row.id, row.expiresAt), attempt));
                }
            }
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry claim for worker " + config.workerId());
        }
        claimed.add(events.size());
        for (int i = 0; i < events.size(); i++) {
            dispatch(events.get(i));
        }
    }

    private void dispatch(KeyEvent event) {
        CompletionStage<Void> stage;
        try {
            stage = dispatcher.dispatch(event);
        } catch (RuntimeException e) {
            outcomes.add(new Outcome(event, e));
            return;
        }
        if (stage instanceof CompletableFuture<Void> f && f.isDone()) {
            // Common for in-process dispatchers: no timeout bookkeeping needed.
            outcomes.add(new Outcome(event, f.isCompletedExceptionally() ? failureOf(f) : null));
            return;
        }
        CompletableFuture<Void> timed = new CompletableFuture<>();
        timed.orTimeout(config.dispatchTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((v, error) -> outcomes.add(new Outcome(event, error)));
        stage.whenComplete((v, error) -> {
            if (error == null) {
                timed.complete(null);
            } else {
                timed.completeExceptionally(error);
            }
        });
    }

    private static Throwable failureOf(CompletableFuture<Void> f) {
        try {
            f.join();
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }

    // ================================================================ finisher thread

    private void finisherLoop() {
        List<Outcome> batch = new ArrayList<>(config.batchSize());
        boolean stop = false;
        while (!stop) {
            batch.clear();
            try {
                batch.add(outcomes.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            outcomes.drainTo(batch, config.batchSize() - 1);
            List<KeyEvent> done = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Outcome o = batch.get(i);
                if (o == Outcome.STOP) {
                    stop = true;
                } else if (o.error == null) {
                    done.add(o.event);
                } else {
                    failed(o.event, o.error);
                }
            }
            if (!done.isEmpty()) {
                deleteDelivered(done);
            }
        }
    }

    private void deleteDelivered(List<KeyEvent> done) {
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
            delivered.add(done.size());
        } catch (SQLException e) {
            // The rows keep their lease and are delivered once more after it runs out (same delivery id).
            delivered.add(done.size());
            LOG.warn("{}could not delete {} delivered expired keys ({}); they will be delivered again after the lease",
                    logPrefix, done.size(), e.getMessage());
        }
    }

    private void failed(KeyEvent event, Throwable error) {
        failedAttempts.increment();
        Instant now = clock.instant();
        boolean last = event.attempt() >= config.maxAttempts();
        Instant until = last ? null : Sql.toMicros(now.plus(config.backoff(event.attempt())));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SQL_RELEASE)) {
            if (last) {
                ps.setObject(1, "infinity", java.sql.Types.OTHER);
            } else {
                Sql.setInstant(ps, 1, until);
            }
            ps.setString(2, event.id());
            ps.setLong(3, Sql.epochMicros(event.dueAt()));
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("{}tenant={} could not record failed expiry of key {} ({}); it is retried after its lease",
                    logPrefix, event.tenant(), event.key(), e.getMessage());
            return;
        }
        if (last) {
            gaveUp.increment();
            LOG.error("{}tenant={} KeyExpiry for key \"{}\" (id {}, scopes {}, due {}) failed {} times; giving up and"
                            + " keeping the key parked until its expiry is set again. Last error: {}",
                    logPrefix, event.tenant(), event.key(), event.id(), event.scopes(), event.dueAt(), event.attempt(),
                    String.valueOf(error));
            report(event, error);
            return;
        }
        LOG.warn("{}tenant={} KeyExpiry for key \"{}\" failed (attempt {} of {}), retrying at {}: {}", logPrefix,
                event.tenant(), event.key(), event.attempt(), config.maxAttempts(), until, String.valueOf(error));
        lock.lock();
        try {
            Entry e = new Entry(event.tenant(), event.id(), event.key(), event.scopes(), event.dueAt(), until, ++sequence);
            live.put(e.id, e);
            heap.add(e);
            if (heap.peek() == e) {
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void report(KeyEvent event, Throwable error) {
        try {
            failureHandler.gaveUp(event, error);
        } catch (RuntimeException e) {
            LOG.error("{}tenant={} expiry failure handler threw: {}", logPrefix, event.tenant(), e.toString());
        }
    }

    // ================================================================ resume keys

    private List<KeyEvent> queryResumes(TenantId tenant) {
        Instant now = Sql.toMicros(clock.instant());
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

    private void emitResumes(List<KeyEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            KeyEvent event = events.get(i);
            CompletionStage<Void> stage;
            try {
                stage = dispatcher.dispatch(event);
            } catch (RuntimeException e) {
                resumeFailed(event, e);
                continue;
            }
            resumesSent.increment();
            stage.whenComplete((v, error) -> {
                if (error != null) {
                    resumeFailed(event, error);
                }
            });
        }
    }

    private void resumeFailed(KeyEvent event, Throwable error) {
        LOG.error("{}tenant={} KeyResume for key \"{}\" (id {}) failed: {}", logPrefix, event.tenant(), event.key(),
                event.id(), String.valueOf(error));
        report(event, error);
    }

    // ================================================================ loading

    private List<Entry> loadUpTo(Instant to, int limit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sqlLoadUpTo)) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, to);
            ps.setInt(3, limit);
            return readEntries(ps, now);
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry load for worker " + config.workerId());
        }
    }

    private List<Entry> loadFrom(Instant from, Instant to, int limit, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sqlLoadFrom)) {
            Sql.setInstant(ps, 1, now);
            Sql.setInstant(ps, 2, from.equals(Instant.MIN) ? now : from);
            Sql.setInstant(ps, 3, to);
            ps.setInt(4, limit);
            return readEntries(ps, now);
        } catch (SQLException e) {
            throw Sql.failure(e, "key expiry window slide for worker " + config.workerId());
        }
    }

    private List<Entry> readEntries(PreparedStatement ps, Instant now) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Row row = readRow(rs);
                if (row != null) {
                    out.add(new Entry(row.tenant, row.id, row.key, row.scopes, row.expiresAt, row.expiresAt, 0));
                }
            }
        }
        return out;
    }

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

    /** Stable id of one delivery of one expiry: key id and due time in microseconds. */
    static String deliveryId(String id, Instant dueAt) {
        return id + ":" + Sql.epochMicros(dueAt);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ================================================================ records

    private record Row(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt) {
    }

    /** One scheduled firing: {@code expiresAt} identifies the expiry, {@code fireAt} is when to try it. */
    private static final class Entry implements Comparable<Entry> {
        final TenantId tenant;
        final String id;
        final String key;
        final List<String> scopes;
        final Instant expiresAt;
        final Instant fireAt;
        final long seq;

        Entry(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt, Instant fireAt, long seq) {
            this.tenant = tenant;
            this.id = id;
            this.key = key;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
            this.fireAt = fireAt;
            this.seq = seq;
        }

        @Override
        public int compareTo(Entry o) {
            int c = fireAt.compareTo(o.fireAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private record Outcome(KeyEvent event, Throwable error) {
        static final Outcome STOP = new Outcome(null, null);
    }
}
