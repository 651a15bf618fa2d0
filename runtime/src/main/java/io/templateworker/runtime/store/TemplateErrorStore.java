package io.templateworker.runtime.store;

import java.time.Instant;
import java.util.List;

/**
 * Template errors kept durably (the API's logs and, later, the Discord error channel read them). Adapters
 * keep a bounded number of recent errors per tenant ({@link #KEPT_PER_TENANT}).
 */
public interface TemplateErrorStore {

    /** Errors kept per tenant; older ones are removed as new ones arrive. */
    int KEPT_PER_TENANT = 1000;

    /** Records errors (of any tenants), in order. */
    void append(List<TemplateError> errors);

    /** The tenant's latest errors that happened before {@code before}, oldest first, at most {@code limit}. */
    List<TemplateError> recent(TenantId tenant, int limit, Instant before);
}
