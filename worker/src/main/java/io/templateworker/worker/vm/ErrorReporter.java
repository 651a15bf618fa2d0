package io.templateworker.worker.vm;

import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a tenant's template output goes: its errors (and, later, its error channel, UPSTREAM.md §7.8) and the
 * lines its templates {@code print}. Must not block: it is called on the dispatch path, inside the VM.
 */
@FunctionalInterface
public interface ErrorReporter {

  /** {@code template} is null for an error outside any template (e.g. the VM could not be built). */
  void report(TenantId tenant, String template, String event, String error);

  /**
   * An error with its Luau traceback apart from the message ({@code traceback} null when there is none). By
   * default joined into one text for {@link #report(TenantId, String, String, String)}.
   */
  default void report(TenantId tenant, String template, String event, String message, String traceback) {
    report(tenant, template, event, traceback == null ? message : message + "\n" + traceback);
  }

  /** A line a template printed ({@code template} null when it cannot be told). Dropped by default. */
  default void print(TenantId tenant, String template, String text) {}

  /**
   * An event ran the tenant's templates: {@code results} is the list of {@code {type, id, value}} entries the
   * dispatch answers with (the dev UI's live panel shows them). Ignored by default.
   */
  default void dispatched(TenantId tenant, CreateEvent event, KhronosValue results) {}

  /** Logs each error with the tenant and the template. */
  ErrorReporter LOG = new ErrorReporter() {
    private final Logger log = LoggerFactory.getLogger(ErrorReporter.class);

    @Override
    public void report(TenantId tenant, String template, String event, String error) {
      log.warn("tenant={} template={} event={}: {}", tenant, template, event, error);
    }

    @Override
    public void print(TenantId tenant, String template, String text) {
      log.info("tenant={} template={} print: {}", tenant, template, text);
    }
  };
}
