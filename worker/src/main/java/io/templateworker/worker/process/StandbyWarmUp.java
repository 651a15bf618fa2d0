package io.templateworker.worker.process;

import io.templateworker.mesophyll.protocol.MalformedFrameException;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantState;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.thread.WorkerThread;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.vm.IsolateFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a standby child runs before it reports ready: the path a takeover's first calls take, end to end, on
 * made-up tenants in memory — frames decoded, a {@link WorkerThread} with a lane and a VM per tenant (VM build,
 * template compile, event filter, dispatch), replies and the database codec encoded. The JIT has compiled that
 * path by the time the standby takes over, so its first answers come at warm speed (the takeover's first events
 * each build a VM: many tenants at once).
 */
final class StandbyWarmUp {
  private static final int TENANTS = 64;
  private static final int ROUNDS = 16;

  private StandbyWarmUp() {}

  static void run(IsolateFactory isolates, WorkerConfig config) {
    MessageCodec.warmUp();
    String code = "return { E = function(ctx) return ctx.event.name end }";
    TenantState subscribed = new TenantState(Set.of("E"), false, TenantState.empty().data());
    ScheduledExecutorService timer = WorkerThread.newTimer();
    WorkerThread worker = new WorkerThread(0, 1, config, services(subscribed, code), isolates, ErrorReporter.LOG,
        () -> KhronosValue.Null.INSTANCE, timer);
    try {
      CreateEvent event = CreateEvent.of("E", KhronosValue.Null.INSTANCE);
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<KhronosValue>> replies = new ArrayList<>(TENANTS);
        for (int i = 0; i < TENANTS; i++) {
          TenantId tenant = TenantId.guild(((long) (round % 2 == 0 ? i : i + TENANTS) << 22) | 1);
          // As a DispatchEvent arrives: a frame, decoded, its event converted.
          Message in = MessageCodec.decode(MessageCodec.encode(
              new Message.DispatchEvent(Wire.tenant(tenant), Wire.event(event), (long) i)));
          Message.DispatchEvent e = (Message.DispatchEvent) in;
          replies.add(worker.dispatchEvent(Wire.tenant(e.tenant()), Wire.event(e.event()), () -> true));
        }
        for (CompletableFuture<KhronosValue> reply : replies) {
          KhronosValue value = reply.get(30, TimeUnit.SECONDS);
          MessageCodec.decode(MessageCodec.encode(Message.DispatchResponse.ok(1, Wire.value(value))));
        }
        // The replies a takeover's first events wait for: a tenant's state and its templates.
        DbCodec.state(DbCodec.state(subscribed));
        TenantId owner = TenantId.guild(1);
        DbCodec.template(owner, DbCodec.template(template(owner, code)));
        if (round % 2 == 1) {
          for (int i = 0; i < TENANTS; i++) { // VM builds again on the next rounds, as after a crash
            worker.dropTenant(TenantId.guild(((long) i << 22) | 1)).get(30, TimeUnit.SECONDS);
          }
        }
      }
    } catch (MalformedFrameException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
        | RuntimeException | LinkageError e) {
      ProcessWorkerMain.warmUpFailed(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      worker.kill();
      timer.shutdownNow();
    }
  }

  private static Template template(TenantId tenant, String code) {
    return new Template(tenant, "warm-up", Map.of("init.luau", code), List.of("E"), List.of(), false, null, "luau",
        Instant.EPOCH, Instant.EPOCH);
  }

  /** Every tenant subscribed to E with one template; nothing written. */
  private static TenantServices services(TenantState subscribed, String code) {
    TenantStateStore states = new TenantStateStore() {
      @Override
      public TenantState get(TenantId tenant) {
        return subscribed;
      }

      @Override
      public void set(TenantId tenant, TenantState state) {}

      @Override
      public void setBanned(TenantId tenant, boolean banned) {}

      @Override
      public Map<TenantId, TenantState> listForWorker(int workerId, int workers) {
        return new HashMap<>();
      }
    };
    TemplateStore templates = new TemplateStore() {
      @Override
      public List<Template> list(TenantId tenant) {
        return List.of(template(tenant, code));
      }

      @Override
      public Template get(TenantId tenant, String name) {
        return template(tenant, code);
      }

      @Override
      public Template create(TenantId tenant, TemplateSpec spec) {
        throw new UnsupportedOperationException("warm-up store");
      }

      @Override
      public Template update(TenantId tenant, String name, TemplateSpec spec) {
        throw new UnsupportedOperationException("warm-up store");
      }

      @Override
      public boolean delete(TenantId tenant, String name) {
        throw new UnsupportedOperationException("warm-up store");
      }
    };
    return new TenantServices(states, templates, null);
  }
}
