package io.templateworker.worker.process;

import io.templateworker.mesophyll.protocol.MalformedFrameException;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MessageCodec;
import io.templateworker.runtime.context.FixedStores;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.thread.WorkerThread;
import io.templateworker.worker.vm.ErrorReporter;
import io.templateworker.worker.vm.IsolateFactory;
import java.util.ArrayList;
import java.util.List;
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
    ScheduledExecutorService timer = WorkerThread.newTimer();
    TenantServices services = services(code);
    WorkerThread worker = new WorkerThread(0, 1, config, services, isolates, ErrorReporter.LOG,
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
          MessageCodec.decode(MessageCodec.encode(Message.DispatchResponse.ok(1, Wire.encodable(value))));
        }
        // The replies a takeover's first events wait for: a tenant's state and its templates.
        TenantId owner = TenantId.guild(1);
        DbCodec.state(DbCodec.state(services.tenantStates().get(owner)));
        DbCodec.template(owner, DbCodec.template(services.templates().list(owner).getFirst()));
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

  /** Every tenant subscribed to E with one template; nothing written. */
  private static TenantServices services(String code) {
    return FixedStores.of(Set.of("E"), tenant -> List.of(FixedStores.template(tenant, "warm-up", code, List.of("E"), List.of())),
        null);
  }
}
