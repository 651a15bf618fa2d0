package io.templateworker.runtime.store;

import java.time.Instant;

/**
 * A template error as recorded durably: which tenant and template (null when it happened outside any
 * template), during which event, what happened and where (the Luau traceback, or null), and when.
 */
public record TemplateError(TenantId tenant, String template, String event, String message, String traceback,
                            Instant at) {
}
