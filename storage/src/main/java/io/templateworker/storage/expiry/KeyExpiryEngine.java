package io.templateworker.storage.expiry;

import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.KeyEvent;
import io.templateworker.runtime.store.KeyEventDispatcher;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.sql.Sql;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires KeyExpiry and KeyResume events for one worker's tenants. See the package documentation for the
 * design; in short, four threads share one lock-guarded in-memory state:
 *
 * <ol>
 *   <li>{@link #start()} loads every key due within the window (overdue ones included, which fire at once)
 *       and emits KeyResume for the worker's resume keys.</li>
 *   <li>The <b>claimer</b> takes keys due within {@link ExpiryConfig#claimAhead()} and claims them in one
 *       statement per batch (lease and attempt counter, only rows the database says are due and unleased).
 *       Claimed keys move to the ready queue.</li>
 *   <li>The <b>timer</b> sleeps until the earliest claimed key is due and hands it to the
 *       {@link KeyEventDispatcher} — memory only, so its wake-ups stay on time — unless the key was moved or
 *       cancelled meanwhile.</li>
 *   <li>The <b>finisher</b> collects dispatch outcomes: successes are deleted in batches (only rows whose
 *       expiry is unchanged), failures get a backoff lease and a retry, or are parked and reported after
 *       {@link ExpiryConfig#maxAttempts()}.</li>
 *   <li>The <b>loader</b> extends the window every {@code slideInterval} and every {@code rescanInterval}
 *       searches the database for overdue keys nobody holds (written by another process without a listener
 *       call, or leased by an engine that crashed). Such keys fire at most one rescan interval late.</li>
 * </ol>
 */
public final class KeyExpiryEngine implements ExpiryListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyExpiryEngine.class);
    /** How long the finisher waits to fill a delete batch. */
    private static final long FINISH_LINGER_NANOS = 20_000_000L;
    /** Rows merged per lock hold when a slide or rescan brings many (see {@link #mergeInSteps}). */
    private static final int MERGE_STEP = 256;
    /** See {@link #claimStep}. */
    private static final Duration CLAIM_STEP = Duration.ofMillis(100);

    private final ExpiryRows rows;
    private final KeyEventDispatcher dispatcher;
    private final ExpiryFailureHandler failureHandler;
    private final ExpiryConfig config;
    private final InstantSource clock;
    private final String logPrefix;
    /** This engine instance; each claim statement writes {@code owner:number} as its rows' lease token. */
    private final String owner = java.util.UUID.randomUUID().toString();
    private long claims;

    // ----- state guarded by lock -----
    private final ReentrantLock lock = new ReentrantLock();
    /** Signals the claimer: a new earliest pending key, or close. */
    private final Condition claimWake = lock.newCondition();
    /** Signals the timer: a new earliest ready key, or close. */
    private final Condition timerWake = lock.newCondition();
    /** Keys not yet claimed, by fire time; the claimer takes them in bulk, so they need no exact order. */
    private final TimeSlots<Entry> pending = new TimeSlots<>(e -> e.fireAtNanos);
    /** Claimed keys waiting for their due time, by ready time. */
    private final PriorityQueue<Entry> ready = new PriorityQueue<>(Entry.BY_READY_AT);
    /**
     * The live entry per key id. An entry in a queue that is not the live one is stale (its key was moved,
     * cancelled or deleted) and is dropped when it comes up. A key being dispatched has no live entry.
     */
    private final Map<String, Entry> live = new HashMap<>();
    /** Keys with expires_at before this were loaded (or will be found by rescans); listener adds below it. */
    private Instant loadedUntil = Instant.MIN;
    private long sequence;
    /** Used by the loader thread only. */
    private Instant nextSlide;
    private Instant nextRescan;

    private final LinkedBlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    /**
     * Dispatches not answered yet, oldest first: one timeout for all makes this deadline order too, so the finisher
     * only looks at the head (a timer task per key cost a scheduler insert, cancel and often a thread wake-up).
     */
    private final ConcurrentLinkedQueue<InFlight> inFlight = new ConcurrentLinkedQueue<>();
    /**
     * Delivered keys whose row is not deleted yet (expiry per key id). Scans skip them, so an outage that
     * delays the delete past the lease does not lead to a second delivery from this engine.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Instant> awaitingDelete = new java.util.concurrent.ConcurrentHashMap<>();
    private final FailureStreak claimFailures;
    private final FailureStreak loadFailures;
    private final FailureStreak deleteFailures;
    private volatile boolean running;
    private Thread timer;
    private Thread claimer;
    private Thread finisher;
    private Thread loader;

    private final LongAdder claimed = new LongAdder();
    private final LongAdder claimedLate = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder gaveUp = new LongAdder();
    private final LongAdder resumesSent = new LongAdder();
    private final LongAdder rescans = new LongAdder();

    public KeyExpiryEngine(DataSource dataSource, KeyEventDispatcher dispatcher, ExpiryFailureHandler failureHandler,
                           ExpiryConfig config, InstantSource clock) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.failureHandler = Objects.requireNonNull(failureHandler, "failureHandler");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.logPrefix = "worker=" + config.workerId() + " ";
        this.claimFailures = new FailureStreak(LOG, logPrefix);
        this.loadFailures = new FailureStreak(LOG, logPrefix);
        this.deleteFailures = new FailureStreak(LOG, logPrefix);
        this.rows = new ExpiryRows(Objects.requireNonNull(dataSource, "dataSource"), config, logPrefix);
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
        timer = Thread.ofPlatform().name("key-expiry-timer-" + config.workerId()).daemon().start(this::timerLoop);
        claimer = Thread.ofPlatform().name("key-expiry-claim-" + config.workerId()).daemon().start(this::claimerLoop);
        finisher = Thread.ofPlatform().name("key-expiry-finish-" + config.workerId()).daemon().start(this::finisherLoop);
        loader = Thread.ofPlatform().name("key-expiry-load-" + config.workerId()).daemon().start(this::loaderLoop);
        LOG.info("{}key expiry engine started: {} keys due within {}", logPrefix, initial.size(), config.window());
        emitResumes(queryResumes(null));
    }

    /**
     * Stops the threads and releases the leases of keys claimed but not yet dispatched, so the next engine
     * fires them on time. Outcomes already reported are finished (deleted or rescheduled); dispatches still
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
            claimWake.signalAll();
            timerWake.signalAll();
        } finally {
            lock.unlock();
        }
        loader.interrupt();
        join(loader);
        join(claimer);
        join(timer);
        // Only now is the ready queue final: nothing in it can still be dispatched by this engine.
        List<String> unfired = new ArrayList<>();
        lock.lock();
        try {
            for (Entry e : ready) {
                if (live.get(e.id) == e) {
                    unfired.add(e.id);
                }
            }
        } finally {
            lock.unlock();
        }
        outcomes.add(Outcome.STOP);
        join(finisher);
        releaseLeases(unfired);
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
            Entry held = live.get(id);
            if (expiresAt == null || !expiresAt.isBefore(loadedUntil)) {
                // Cancelled, or beyond the window (the next slide loads it): forget any entry we hold, which
                // also stops a claimed one from firing (the store cleared its lease).
                if (held != null) {
                    live.remove(id);
                }
                return;
            }
            if (held != null && held.expiresAt.equals(expiresAt)) {
                return; // the value changed, the expiry did not: the key stays scheduled (and claimed) as it is
            }
            Entry e = new Entry(tenant, id, key, scopes, expiresAt, expiresAt, ++sequence);
            live.put(id, e);
            addPending(e);
        } finally {
            lock.unlock();
        }
    }

    /** Queues an entry for claiming and wakes the claimer if it is the new earliest. Caller holds the lock. */
    private void addPending(Entry e) {
        long earliest = pending.earliestSlot();
        pending.add(e);
        if (e.fireAtNanos < earliest) {
            claimWake.signal();
        }
    }

    // ================================================================ statistics

    /**
     * Counters since start, for tests, benchmarks and metrics.
     *
     * @param claimedLate    keys whose claim committed after their due time: the commit was in their path
     *                       (overdue keys, or claims slower than {@code claimAhead} less one claim step)
     * @param delivered      deliveries whose row was deleted afterwards
     * @param inMemory       keys scheduled in memory
     * @param rescans        completed searches for overdue keys (tests wait for these instead of for time)
     * @param awaitingDelete delivered keys whose row is not deleted yet (grows while the database is down)
     */
    public record Stats(long claimed, long claimedLate, long delivered, long failedAttempts, long gaveUp,
                        long resumesSent, int inMemory, long rescans, int awaitingDelete) {
    }

    public Stats stats() {
        int size;
        lock.lock();
        try {
            size = live.size();
        } finally {
            lock.unlock();
        }
        return new Stats(claimed.sum(), claimedLate.sum(), delivered.sum(), failedAttempts.sum(), gaveUp.sum(),
                resumesSent.sum(), size, rescans.sum(), awaitingDelete.size());
    }

    // ================================================================ scheduler thread

    /** Dispatches claimed keys at their due time; no database work happens on this thread. */
    private void timerLoop() {
        List<Entry> due = new ArrayList<>(config.batchSize());
        while (running) {
            due.clear();
            lock.lock();
            try {
                Instant now = clock.instant();
                Entry head;
                while ((head = ready.peek()) != null && !head.readyAt.isAfter(now)) {
                    ready.poll();
                    if (live.get(head.id) == head) {
                        live.remove(head.id);
                        due.add(head);
                    }
                }
                if (due.isEmpty()) {
                    await(timerWake, head == null ? Long.MAX_VALUE : head.readyAtNanos - epochNanos(now));
                    continue;
                }
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < due.size(); i++) {
                dispatch(due.get(i).event, due.get(i).unansweredClaim);
            }
        }
    }

    /**
     * Claims keys before they are due and moves them to the ready queue. It waits until the earliest key is within
     * {@code claimAhead} less one claim step, then claims everything within the whole of it: one statement covers
     * a step's worth of keys (up to {@code batchSize}), not one key each. Small, even steps instead of one large
     * claim per {@code claimAhead / 2}: a burst of claims (and the database work behind them) every second took
     * the CPU from the timer just when keys were due.
     */
    private void claimerLoop() {
        List<Entry> taken = new ArrayList<>(config.batchSize());
        List<Entry> batch = new ArrayList<>(config.batchSize());
        long startNanos = config.claimAhead().minus(claimStep(config.claimAhead())).toNanos();
        while (running) {
            taken.clear();
            batch.clear();
            Instant now;
            lock.lock();
            try {
                now = clock.instant();
                long startAt = epochNanos(now) + startNanos;
                long earliest = pending.earliestSlot();
                if (earliest > startAt) {
                    await(claimWake, earliest == Long.MAX_VALUE ? Long.MAX_VALUE : earliest - startAt);
                    continue;
                }
                pending.takeUpTo(epochNanos(now.plus(config.claimAhead())), config.batchSize(), taken);
                if (taken.isEmpty()) { // the earliest slot's keys are all beyond the horizon (claimAhead < a slot)
                    await(claimWake, pending.earliest() - startAt);
                    continue;
                }
                for (int i = 0; i < taken.size(); i++) {
                    Entry e = taken.get(i);
                    if (live.get(e.id) == e && e.event == null) { // else stale, or already claimed through adoption
                        batch.add(e);
                    }
                }
            } finally {
                lock.unlock();
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                claim(batch, now);
                claimFailures.succeeded("key expiry claims");
            } catch (RuntimeException e) {
                // Keep the keys and try again: the claim may even have committed (the reply lost), which is why
                // the retry may take over this engine's own leases.
                requeue(batch);
                pause(claimFailures.failed("key expiry claim", e));
            }
        }
    }

    /** How many keys' worth of time one claim takes at most: 100 ms, or half of a shorter {@code claimAhead}. */
    static Duration claimStep(Duration claimAhead) {
        Duration half = claimAhead.dividedBy(2);
        return half.compareTo(CLAIM_STEP) < 0 ? half : CLAIM_STEP;
    }

    /**
     * Waits on {@code condition} for {@code nanos} (Long.MAX_VALUE: until signalled). Stale queue heads may cause
     * an early wake-up, which is harmless. Caller holds the lock.
     */
    private void await(Condition condition, long nanos) {
        if (!running) {
            return; // checked under the lock, so a close() signal cannot slip in before the wait
        }
        try {
            if (nanos == Long.MAX_VALUE) {
                condition.await();
            } else if (nanos > 0) {
                condition.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
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
                loadFailures.succeeded("key expiry window loads");
            } catch (RuntimeException e) {
                if (!running) {
                    return; // close() interrupted it
                }
                loadFailures.failed("key expiry window load", e); // the intervals pace the retries
            }
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
        mergeInSteps(rows);
        lock.lock();
        try {
            loadedUntil = rows.size() >= room ? rows.get(rows.size() - 1).expiresAt : to;
        } finally {
            lock.unlock();
        }
    }

    private void rescan() {
        Instant now = clock.instant();
        // Overdue keys nobody holds: written by another process inside the window, retried by another engine,
        // or leased by an engine that crashed and whose lease ran out. Keys held in memory are skipped by merge.
        mergeInSteps(loadUpTo(now, config.maxInMemory(), now));
        rescans.increment();
    }

    /**
     * Merges loaded rows a few hundred at a time, releasing the lock in between: a slide brings thousands of
     * rows, and the timer must not wait for all of them to be queued before it dispatches a due key.
     */
    private void mergeInSteps(List<Entry> rows) {
        for (int from = 0; from < rows.size(); from += MERGE_STEP) {
            List<Entry> step = rows.subList(from, Math.min(rows.size(), from + MERGE_STEP));
            lock.lock();
            try {
                merge(step);
            } finally {
                lock.unlock();
            }
        }
    }

    /** Adds loaded rows not already held with the same expiry. Caller holds the lock. */
    private void merge(List<Entry> rows) {
        for (int i = 0; i < rows.size(); i++) {
            Entry row = rows.get(i);
            Entry held = live.get(row.id);
            if (held != null && held.expiresAt.equals(row.expiresAt) || row.expiresAt.equals(awaitingDelete.get(row.id))) {
                continue;
            }
            Entry e = new Entry(row.tenant, row.id, row.key, row.scopes, row.expiresAt, row.fireAt, ++sequence);
            live.put(e.id, e);
            addPending(e);
        }
    }

    /**
     * Claims {@code batch} in the database and moves what was claimed to the ready queue. A key the database
     * does not consider due and free (moved, cancelled, or held by another engine) is forgotten; if it still
     * needs firing, the listener or a rescan brings it back.
     */
    private void claim(List<Entry> batch, Instant now) {
        Instant horizon = Sql.toMicros(now.plus(config.claimAhead()));
        Instant leaseUntil = Sql.toMicros(now.plus(config.lease()));
        String token = owner + ":" + (++claims);
        String[] ids = new String[batch.size()];
        List<String> retriedIds = new ArrayList<>();
        List<String> retriedTokens = new ArrayList<>();
        Map<String, Entry> byId = new HashMap<>(batch.size() * 2);
        for (int i = 0; i < ids.length; i++) {
            Entry e = batch.get(i);
            ids[i] = e.id;
            byId.put(ids[i], e);
            if (e.unansweredClaim != null) {
                retriedIds.add(e.id);
                retriedTokens.add(e.unansweredClaim);
            }
            e.unansweredClaim = token; // kept only if this claim fails too (see requeue)
        }
        List<KeyEvent> events = rows.claim(ids, retriedIds, retriedTokens, token, horizon, leaseUntil);
        claimed.add(events.size());
        Instant claimedAt = clock.instant();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).dueAt().isBefore(claimedAt)) {
                claimedLate.increment();
            }
        }
        lock.lock();
        try {
            Entry firstReady = ready.peek();
            for (int i = 0; i < events.size(); i++) {
                KeyEvent event = events.get(i);
                Entry popped = byId.remove(event.id());
                Entry current = live.get(event.id());
                Entry target;
                if (current == popped && popped.expiresAt.equals(event.dueAt())) {
                    target = popped;
                } else if (current != null && current.event == null && current.expiresAt.equals(event.dueAt())) {
                    target = current; // the listener re-announced this expiry meanwhile: adopt its entry
                } else if (current == popped) {
                    // The row's expiry moved (still due) between loading and claiming: fire what the database has.
                    target = new Entry(event.tenant(), event.id(), event.key(), event.scopes(), event.dueAt(),
                            event.dueAt(), ++sequence);
                    live.put(target.id, target);
                } else {
                    continue; // moved or cancelled after the claim; the store cleared our lease
                }
                target.event = event;
                target.readyAt = target.fireAt.isAfter(event.dueAt()) ? target.fireAt : event.dueAt();
                target.readyAtNanos = epochNanos(target.readyAt);
                ready.add(target);
            }
            // Popped but not claimed: not due per the database, or another engine holds it.
            for (Entry e : byId.values()) {
                if (live.get(e.id) == e) {
                    live.remove(e.id);
                }
            }
            if (ready.peek() != firstReady) {
                timerWake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts back a batch whose claim failed. Each entry keeps the failed claim's token, so the retry may take
     * over exactly the leases that claim wrote if it committed after all — not a lease of an earlier claim
     * that succeeded (whose key may be dispatched already).
     */
    private void requeue(List<Entry> batch) {
        lock.lock();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Entry e = batch.get(i);
                if (live.get(e.id) == e) {
                    pending.add(e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** On close: gives claimed, undispatched keys back (and their attempt) so the next engine is not delayed. */
    private void releaseLeases(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            rows.unclaim(ids);
        } catch (SQLException e) {
            LOG.warn("{}could not release {} claimed keys on close ({}); they fire after their lease", logPrefix,
                    ids.size(), e.getMessage());
        }
    }

    private void dispatch(KeyEvent event, String claimToken) {
        if (event.kind() == KeyEvent.Kind.EXPIRY && event.attempt() == 1) {
            WorkerMetrics.EXPIRY_LATENESS.observe(Math.max(0, Duration.between(event.dueAt(), clock.instant()).toNanos()) / 1e9);
        }
        CompletionStage<Void> stage;
        try {
            stage = dispatcher.dispatch(event);
        } catch (RuntimeException e) {
            outcomes.add(new Outcome(event, e, claimToken));
            return;
        }
        if (stage instanceof CompletableFuture<Void> f && f.isDone()) {
            // Common for in-process dispatchers: no timeout bookkeeping needed.
            outcomes.add(new Outcome(event, f.isCompletedExceptionally() ? failureOf(f) : null, claimToken));
            return;
        }
        InFlight call = new InFlight(event, claimToken, System.nanoTime() + config.dispatchTimeout().toNanos());
        inFlight.add(call);
        stage.whenComplete((v, error) -> call.answer(error));
    }

    /**
     * On the finisher: fails the dispatches that have not answered within the dispatch timeout (they are retried)
     * and drops answered ones from the head of {@link #inFlight}. Returns the nanoseconds until the next call
     * could time out.
     */
    private long expireUnansweredDispatches() {
        long now = System.nanoTime();
        InFlight head;
        while ((head = inFlight.peek()) != null) {
            if (head.isAnswered()) {
                inFlight.poll();
                continue;
            }
            long left = head.deadline - now;
            if (left > 0) {
                return left;
            }
            inFlight.poll();
            head.answer(new TimeoutException("no answer within the dispatch timeout of " + config.dispatchTimeout()));
        }
        return config.dispatchTimeout().toNanos(); // a call made from now on has at least that long
    }

    /** One dispatch waiting for its answer or its timeout, whichever comes first; only the first counts. */
    private final class InFlight {
        final KeyEvent event;
        final String claimToken;
        final long deadline;
        private final AtomicBoolean answered = new AtomicBoolean();

        InFlight(KeyEvent event, String claimToken, long deadline) {
            this.event = event;
            this.claimToken = claimToken;
            this.deadline = deadline;
        }

        boolean isAnswered() {
            return answered.get();
        }

        void answer(Throwable error) {
            if (answered.compareAndSet(false, true)) {
                outcomes.add(new Outcome(event, error, claimToken));
            }
        }
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

    /**
     * Collects dispatch outcomes and times out dispatches that do not answer. Delivered keys are deleted in batches; while the database is unavailable the
     * deletes are retried (the keys stay recorded as delivered, so no scan hands them out again) until they
     * succeed, so an outage delays the cleanup but does not cause a second delivery.
     */
    private void finisherLoop() {
        List<Outcome> batch = new ArrayList<>(config.batchSize());
        List<KeyEvent> undeleted = new ArrayList<>();
        long retryAt = 0;
        boolean stop = false;
        while (!stop) {
            batch.clear();
            try {
                long wait = expireUnansweredDispatches();
                if (!undeleted.isEmpty()) {
                    wait = Math.min(wait, Math.max(0, retryAt - System.nanoTime()));
                }
                Outcome next = outcomes.poll(wait, TimeUnit.NANOSECONDS);
                if (next != null) {
                    batch.add(next);
                    lingerForMore(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                Outcome o = batch.get(i);
                if (o == Outcome.STOP) {
                    stop = true;
                } else if (o.error == null) {
                    awaitingDelete.put(o.event.id(), o.event.dueAt());
                    undeleted.add(o.event);
                } else {
                    failed(o.event, o.error, o.claimToken);
                }
            }
            if (!undeleted.isEmpty() && (stop || System.nanoTime() - retryAt >= 0)) {
                Duration wait = deleteDelivered(undeleted);
                retryAt = System.nanoTime() + wait.toNanos();
            }
        }
        if (!undeleted.isEmpty()) {
            LOG.warn("{}closing with {} delivered expired keys not yet deleted (the database is unavailable); they are"
                    + " delivered once more after their lease", logPrefix, undeleted.size());
        }
    }

    /**
     * Waits {@link #FINISH_LINGER_NANOS} (unless a batch is there already), then takes what arrived meanwhile, so
     * that deletes go out in batches even at low rates. A sleep rather than a wait for each outcome: waiting, the
     * finisher was woken for nearly every key (a thread switch per key, and a wake-up call on the worker thread
     * that completed it). The events were already delivered; only the row deletion waits.
     */
    private void lingerForMore(List<Outcome> batch) throws InterruptedException {
        if (batch.getLast() != Outcome.STOP && outcomes.size() < config.batchSize()) {
            Thread.sleep(Duration.ofNanos(FINISH_LINGER_NANOS));
        }
        outcomes.drainTo(batch); // deleteDelivered splits them into statements of batchSize
    }

    /**
     * Deletes delivered keys in statements of up to {@code batchSize}, removing each deleted one from {@code done}.
     * Returns 0 when all went, else how long to wait before retrying the rest.
     */
    private Duration deleteDelivered(List<KeyEvent> done) {
        while (!done.isEmpty()) {
            List<KeyEvent> chunk = done.subList(0, Math.min(done.size(), config.batchSize()));
            try {
                rows.deleteDelivered(chunk);
            } catch (SQLException e) {
                return deleteFailures.failed("deleting " + done.size() + " delivered expired keys",
                        Sql.failure(e, "key expiry delete for worker " + config.workerId()));
            }
            for (int i = 0; i < chunk.size(); i++) {
                awaitingDelete.remove(chunk.get(i).id(), chunk.get(i).dueAt());
            }
            delivered.add(chunk.size());
            chunk.clear();
        }
        deleteFailures.succeeded("deletes of delivered expired keys");
        return Duration.ZERO;
    }

    /**
     * Records a failed delivery: a backoff lease in the database (or, on the last attempt, a parked key and a
     * report), then an in-memory retry. If the database cannot record it, the retry is scheduled anyway: the
     * row still carries this engine's claim, which the retry may take over.
     */
    private void failed(KeyEvent event, Throwable error, String claimToken) {
        failedAttempts.increment();
        Instant now = clock.instant();
        boolean last = event.attempt() >= config.maxAttempts();
        Instant until = Sql.toMicros(now.plus(config.backoff(event.attempt())));
        boolean recorded;
        try {
            rows.recordFailure(event, last, until);
            recorded = true;
        } catch (SQLException e) {
            LOG.warn("{}tenant={} could not record the failed expiry of key {} ({}); retrying it from memory",
                    logPrefix, event.tenant(), event.key(), e.getMessage());
            recorded = false;
        }
        if (last && recorded) {
            gaveUp.increment();
            LOG.error("{}tenant={} KeyExpiry for key \"{}\" (id {}, scopes {}, due {}) failed {} times; giving up and"
                            + " keeping the key parked until its expiry is set again. Last error: {}",
                    logPrefix, event.tenant(), event.key(), event.id(), event.scopes(), event.dueAt(), event.attempt(),
                    String.valueOf(error));
            report(event, error);
            return;
        }
        if (!last) {
            LOG.warn("{}tenant={} KeyExpiry for key \"{}\" failed (attempt {} of {}), retrying at {}: {}", logPrefix,
                    event.tenant(), event.key(), event.attempt(), config.maxAttempts(), until, String.valueOf(error));
        }
        lock.lock();
        try {
            if (live.get(event.id()) == null) { // unless the key was re-armed meanwhile
                Entry e = new Entry(event.tenant(), event.id(), event.key(), event.scopes(), event.dueAt(), until, ++sequence);
                // Unrecorded, the row still carries the lease of the claim that delivered it: the retry takes it over.
                e.unansweredClaim = recorded ? null : claimToken;
                live.put(e.id, e);
                addPending(e);
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
        return rows.resumes(tenant, Sql.toMicros(clock.instant()));
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
        return entries(rows.loadUpTo(to, limit, now));
    }

    private List<Entry> loadFrom(Instant from, Instant to, int limit, Instant now) {
        return entries(rows.loadFrom(from, to, limit, now));
    }

    private static List<Entry> entries(List<ExpiryRows.Row> loaded) {
        List<Entry> out = new ArrayList<>(loaded.size());
        for (int i = 0; i < loaded.size(); i++) {
            ExpiryRows.Row row = loaded.get(i);
            out.add(new Entry(row.tenant(), row.id(), row.key(), row.scopes(), row.expiresAt(), row.expiresAt(), 0));
        }
        return out;
    }

    /** Nanoseconds since the epoch, saturated (years 1678 to 2262 fit). */
    static long epochNanos(Instant t) {
        try {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (ArithmeticException e) {
            return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
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

    /**
     * One scheduled firing: {@code expiresAt} identifies the expiry, {@code fireAt} is when to try it (later
     * for a retry). Once claimed it carries its {@code event} and {@code readyAt}; both are set under the lock
     * before the entry enters the ready queue and never change afterwards.
     */
    private static final class Entry {
        // The ready queue compares plain longs: a poll's comparisons otherwise chase two Instants each.
        static final java.util.Comparator<Entry> BY_READY_AT = (a, b) -> {
            int c = Long.compare(a.readyAtNanos, b.readyAtNanos);
            return c != 0 ? c : Long.compare(a.seq, b.seq);
        };

        final TenantId tenant;
        final String id;
        final String key;
        final List<String> scopes;
        final Instant expiresAt;
        final Instant fireAt;
        final long fireAtNanos;
        final long seq;
        KeyEvent event;
        Instant readyAt;
        long readyAtNanos;
        /**
         * The token of the last claim that tried this key (set while it runs; after it failed without an answer
         * it may have committed, leasing the row under this token).
         */
        String unansweredClaim;

        Entry(TenantId tenant, String id, String key, List<String> scopes, Instant expiresAt, Instant fireAt, long seq) {
            this.tenant = tenant;
            this.id = id;
            this.key = key;
            this.scopes = scopes;
            this.expiresAt = expiresAt;
            this.fireAt = fireAt;
            this.fireAtNanos = epochNanos(fireAt);
            this.seq = seq;
        }
    }

    /** A dispatch's result; {@code claimToken} is the lease token of the claim that took its key. */
    private record Outcome(KeyEvent event, Throwable error, String claimToken) {
        static final Outcome STOP = new Outcome(null, null, null);
    }
}
