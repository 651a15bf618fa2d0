package io.templateworker.worker.vm;

import io.templateworker.runtime.store.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where template errors go: the template's error channel once Discord exists (UPSTREAM.md §7.8); the log now.
 * Must not block: it is called on the dispatch path.
 */
@FunctionalInterface
public interface ErrorReporter {

  /** {@code template} is null for an error outside any template (e.g. the VM could not be built). */
  void report(TenantId tenant, String template, String event, String error);

  /** Logs each error with the tenant and the template. */
  ErrorReporter LOG = new ErrorReporter() {
    private final Logger log = LoggerFactory.getLogger(ErrorReporter.class);

    @Override
    public void report(TenantId tenant, String template, String event, String error) {
      log.warn("tenant={} template={} event={}: {}", tenant, template, event, error);
    }
  };
}
