package io.templateworker.worker.expiry;

import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.worker.WorkerLike;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * A PostgreSQL KV store whose expiries feed a real {@link KeyExpiryEngine}, as the service wires them: make the
 * store first (the worker needs it), then {@link #start} the engine on the worker that receives {@code KeyExpiry}.
 */
public final class ExpiringKv implements AutoCloseable {
  private final DataSource db;
  private final AtomicReference<KeyExpiryEngine> engine = new AtomicReference<>();
  public final PostgresKvStore kv;

  public ExpiringKv(DataSource db) {
    this.db = db;
    this.kv = new PostgresKvStore(db, InstantSource.system(), (tenant, id, key, scopes, at) -> {
      KeyExpiryEngine e = engine.get();
      if (e != null) {
        e.expiryChanged(tenant, id, key, scopes, at);
      }
    });
  }

  /** Starts the expiry engine (polling every second at the most) delivering to {@code workers}. */
  public void start(WorkerLike workers) {
    KeyExpiryEngine e = new KeyExpiryEngine(db, new KeyEventRouter(workers), ExpiryFailureHandler.LOG_ONLY,
        ExpiryConfig.defaults(0, 1), InstantSource.system());
    e.start();
    engine.set(e);
  }

  @Override
  public void close() {
    KeyExpiryEngine e = engine.get();
    if (e != null) {
      e.close();
    }
  }
}
