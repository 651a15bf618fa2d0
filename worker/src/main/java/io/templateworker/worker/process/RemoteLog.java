package io.templateworker.worker.process;

import io.templateworker.mesophyll.client.MesophyllClient;
import io.templateworker.mesophyll.protocol.Message;
import io.templateworker.mesophyll.protocol.MesophyllException;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.log.LogRateLimit;
import io.templateworker.worker.vm.ErrorReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process-pool child's tenant log: each print and template error goes to the master as a
 * {@link Message.TenantLog}, which keeps the tenant's log. Limited per tenant first, so a template printing in
 * a loop cannot flood the Mesophyll connection. While the master is unreachable lines are logged here instead.
 * The results of events this child dispatched on its own (its gateway shards, timers) go to the master too
 * ({@link Message.TenantDispatched}, for the dev UI's live panel), under a limit of their own: past it a busy
 * tenant's results are simply not shown (they are no log lines). Events the master sent get their results back in
 * the reply, which the master reports itself: the child dispatches them without reporting their results, so they
 * never come here (sending them twice cost the child a fifth of its CPU per event).
 */
final class RemoteLog implements ErrorReporter {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteLog.class);

  private final MesophyllClient client;
  private final LogRateLimit limit = new LogRateLimit();
  private final LogRateLimit dispatchLimit = new LogRateLimit();

  RemoteLog(MesophyllClient client) {
    this.client = client;
  }

  @Override
  public void report(TenantId tenant, String template, String event, String error) {
    report(tenant, template, event, error, null);
  }

  @Override
  public void report(TenantId tenant, String template, String event, String message, String traceback) {
    send(tenant, "error", template, event, message, traceback);
  }

  @Override
  public void print(TenantId tenant, String template, String text) {
    send(tenant, "print", template, null, text, null);
  }

  @Override
  public void dispatched(TenantId tenant, CreateEvent event, KhronosValue results) {
    if (!dispatchLimit.admit(tenant).admitted()) {
      return;
    }
    try {
      client.send(new Message.TenantDispatched(Wire.tenant(tenant), Wire.event(event), Wire.encodable(results)));
    } catch (MesophyllException | KhronosException e) {
      LOG.debug("tenant={}: results of {} not sent to the master: {}", tenant, event.name(), e.getMessage());
    }
  }

  private void send(TenantId tenant, String kind, String template, String event, String message, String traceback) {
    LogRateLimit.Verdict verdict = limit.admit(tenant);
    if (verdict.dropped() > 0) {
      send(tenant, new Message.TenantLog(Wire.tenant(tenant), "error", null, null,
          verdict.dropped() + " log lines were dropped: this tenant wrote more than " + LogRateLimit.PER_SECOND
              + " lines per second", null, System.currentTimeMillis()));
    }
    if (verdict.admitted()) {
      send(tenant, new Message.TenantLog(Wire.tenant(tenant), kind, template, event, message, traceback,
          System.currentTimeMillis()));
    }
  }

  private void send(TenantId tenant, Message.TenantLog entry) {
    try {
      client.send(entry);
    } catch (MesophyllException e) {
      LOG.warn("tenant={} template={} {} (master unreachable: {}): {}", tenant, entry.template(), entry.kind(),
          e.getMessage(), entry.message());
    }
  }
}
