package io.templateworker.worker.log;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.store.TemplateError;
import io.templateworker.runtime.store.TemplateErrorStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.vm.ErrorReporter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants' logs, kept by the process that serves the API (the thread pool, or a process pool's master,
 * which its children send their lines to): each tenant's latest {@value #PER_TENANT} prints and template
 * errors in memory, and every error also written to the durable {@link TemplateErrorStore} by a background
 * writer, so the dispatch path never waits on the database. Each tenant's writes are rate limited
 * ({@link LogRateLimit}). After a restart a tenant's log starts from its durable errors.
 */
public final class TenantLogBook implements ErrorReporter, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantLogBook.class);
  /** Lines kept in memory per tenant. */
  public static final int PER_TENANT = 500;
  /** Errors waiting for the writer; beyond this they are only kept in memory (and counted). */
  static final int WRITE_QUEUE = 10_000;
  static final int WRITE_BATCH = 500;

  private final TemplateErrorStore store;
  private final Cache<TenantId, Ring> rings = Caffeine.newBuilder()
      .maximumSize(20_000).expireAfterAccess(Duration.ofHours(6)).executor(Runnable::run).build();
  private final LogRateLimit limit = new LogRateLimit();
  private final BlockingQueue<TemplateError> toWrite = new ArrayBlockingQueue<>(WRITE_QUEUE);
  private final AtomicLong unwritten = new AtomicLong();
  private final Thread writer;
  private volatile boolean closed;

  /** @param store where errors are kept durably; null keeps them in memory only */
  public TenantLogBook(TemplateErrorStore store) {
    this.store = store;
    this.writer = store == null ? null : Thread.ofVirtual().name("tenant-log-writer").start(this::writeLoop);
  }

  @Override
  public void report(TenantId tenant, String template, String event, String error) {
    report(tenant, template, event, error, null);
  }

  @Override
  public void report(TenantId tenant, String template, String event, String message, String traceback) {
    if (template != null) {
      // Counted here, where both pools' errors arrive (a process pool's children send theirs to the master's book).
      WorkerMetrics.TEMPLATE_ERRORS.inc();
    }
    add(tenant, new LogEntry(Instant.now(), LogEntry.ERROR, template, event, message, traceback));
  }

  @Override
  public void print(TenantId tenant, String template, String text) {
    add(tenant, new LogEntry(Instant.now(), LogEntry.PRINT, template, null, text, null));
  }

  private void add(TenantId tenant, LogEntry entry) {
    LogRateLimit.Verdict verdict = limit.admit(tenant);
    Ring ring = rings.get(tenant, t -> new Ring());
    if (verdict.dropped() > 0) {
      ring.add(new LogEntry(entry.at(), LogEntry.ERROR, null, null, verdict.dropped()
          + " log lines were dropped: this tenant wrote more than " + LogRateLimit.PER_SECOND + " lines per second", null));
    }
    if (!verdict.admitted()) {
      return;
    }
    ring.add(entry);
    if (LogEntry.ERROR.equals(entry.kind())) {
      LOG.debug("tenant={} template={} event={}: {}", tenant, entry.template(), entry.event(), entry.message());
      if (store != null && !closed && !toWrite.offer(new TemplateError(tenant, entry.template(), entry.event(),
          entry.message(), entry.traceback(), entry.at()))) {
        unwritten.incrementAndGet();
      }
    }
  }

  /**
   * The tenant's latest lines, oldest first, at most {@code max}. The first read after a restart also brings
   * back the errors recorded durably before this process began the tenant's log.
   */
  public List<LogEntry> recent(TenantId tenant, int max) {
    Ring ring = rings.get(tenant, t -> new Ring());
    if (!ring.seeded && store != null) {
      List<TemplateError> earlier;
      try {
        earlier = store.recent(tenant, PER_TENANT, ring.createdAt);
      } catch (RuntimeException e) {
        LOG.warn("tenant={}: could not read its recorded template errors: {}", tenant, e.toString());
        earlier = null;
      }
      if (earlier != null) {
        ring.seed(earlier);
      }
    }
    return ring.latest(max);
  }

  /** Errors not written durably because the write queue was full or the database failed. */
  public long unwritten() {
    return unwritten.get();
  }

  private void writeLoop() {
    List<TemplateError> batch = new ArrayList<>(WRITE_BATCH);
    while (true) {
      try {
        TemplateError first = toWrite.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        batch.add(first);
        toWrite.drainTo(batch, WRITE_BATCH - 1);
        try {
          store.append(batch);
        } catch (RuntimeException e) {
          unwritten.addAndGet(batch.size());
          LOG.warn("could not record {} template errors durably ({}); they stay in the in-memory logs", batch.size(), e.toString());
        }
        batch.clear();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Writes what is queued (waits up to 5 s), then stops the writer. */
  @Override
  public void close() {
    closed = true;
    if (writer != null) {
      try {
        writer.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One tenant's latest lines. */
  private static final class Ring {
    final Instant createdAt = Instant.now();
    private final ArrayDeque<LogEntry> lines = new ArrayDeque<>();
    volatile boolean seeded;

    synchronized void add(LogEntry entry) {
      if (lines.size() == PER_TENANT) {
        lines.removeFirst();
      }
      lines.addLast(entry);
    }

    /** Puts errors recorded before this ring began in front of its lines. */
    synchronized void seed(List<TemplateError> earlier) {
      if (seeded) {
        return;
      }
      seeded = true;
      for (int i = earlier.size() - 1; i >= 0 && lines.size() < PER_TENANT; i--) {
        TemplateError e = earlier.get(i);
        lines.addFirst(new LogEntry(e.at(), LogEntry.ERROR, e.template(), e.event(), e.message(), e.traceback()));
      }
    }

    synchronized List<LogEntry> latest(int max) {
      List<LogEntry> all = new ArrayList<>(lines);
      return all.size() <= max ? all : all.subList(all.size() - max, all.size());
    }
  }
}
