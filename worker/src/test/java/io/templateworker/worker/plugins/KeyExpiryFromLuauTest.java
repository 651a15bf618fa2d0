package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.store.KvRecord;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.storage.expiry.ExpiryConfig;
import io.templateworker.storage.expiry.ExpiryFailureHandler;
import io.templateworker.storage.expiry.KeyExpiryEngine;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.expiry.KeyEventRouter;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.thread.ThreadPool;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end: a key set from Luau with {@code expires_at} (a DateTime) reaches the PostgreSQL store, whose
 * write notifies the key-expiry engine, which fires {@code KeyExpiry} in the template when the time comes.
 */
class KeyExpiryFromLuauTest {
  static final TenantId T = TenantId.guild((50L << 22) + 1);
  ThreadPool pool;
  KeyExpiryEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
    if (pool != null) {
      pool.kill();
    }
  }

  @Test
  void a_key_set_from_luau_fires_key_expiry_in_the_template_on_time() throws Exception {
    DataSource db = TestPostgres.freshDatabase();
    AtomicReference<KeyExpiryEngine> engines = new AtomicReference<>();
    PostgresKvStore kv = new PostgresKvStore(db, InstantSource.system(), (tenant, id, key, scopes, at) -> {
      KeyExpiryEngine e = engines.get();
      if (e != null) {
        e.expiryChanged(tenant, id, key, scopes, at);
      }
    });
    MemoryTenantStates states = new MemoryTenantStates();
    MemoryTemplates templates = new MemoryTemplates();
    states.subscribe(T, "Remind", "KeyExpiry");
    templates.create(T, new TemplateSpec("reminder", Map.of("init.luau", """
        local datetime = require("@antiraid/datetime")
        return {
          Remind = function(ctx)
            local at = datetime.UTC:now() + datetime.timedelta_millis(700)
            ctx.KV:set("remind-me", "stretch", {"reminders"}, at)
            return typeof((ctx.KV:getrecord("remind-me", {"reminders"})).expires_at)
          end,
          KeyExpiry = function(ctx)
            local data = ctx.event.data
            local value = ctx.KV:get(data.key, {"reminders"})
            ctx.KV:set("fired", {key = data.key, value = value, at = datetime.UTC:now()}, {"log"})
          end,
        }
        """), List.of("Remind", "KeyExpiry"), List.of("kv:*"), false, null, "luau"));
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(states, templates, kv),
        new LuauIsolateFactory(Limits.defaults()).withPlugins(Plugins.builder().add(new KvPlugin()).build()),
        (tenant, template, event, error) -> { }, KhronosValue.Null.INSTANCE).start();
    engine = new KeyExpiryEngine(db, new KeyEventRouter(pool), ExpiryFailureHandler.LOG_ONLY, ExpiryConfig.defaults(0, 1),
        InstantSource.system());
    engine.start();
    engines.set(engine);

    Instant before = Instant.now();
    KhronosValue r = pool.dispatchEvent(T, CreateEvent.of("Remind", KhronosValue.Null.INSTANCE)).get(20, TimeUnit.SECONDS);
    assertThat(r.toString()).contains("DateTime"); // the record's expires_at reads back as a DateTime
    KvRecord fired = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> kv.get(T, List.of("log"), "fired"), java.util.Objects::nonNull);
    KhronosValue.MapValue log = (KhronosValue.MapValue) fired.value();
    assertThat(log.get("key")).isEqualTo(new KhronosValue.Text("remind-me"));
    assertThat(log.get("value")).isEqualTo(new KhronosValue.Text("stretch")); // still readable while the event runs
    Instant firedAt = ((KhronosValue.Timestamptz) log.get("at")).value();
    assertThat(Duration.between(before, firedAt)).isGreaterThanOrEqualTo(Duration.ofMillis(650)); // not early
    await().atMost(Duration.ofSeconds(10)).until(() -> kv.get(T, List.of("reminders"), "remind-me") == null); // then deleted
  }
}
