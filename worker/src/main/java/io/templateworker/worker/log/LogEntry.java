package io.templateworker.worker.log;

import java.time.Instant;

/**
 * One line of a tenant's log: a {@code print} ({@code kind = "print"}) or a template error
 * ({@code kind = "error"}, with the event it happened in and the Luau traceback when there is one).
 * {@code template} is null when the line cannot be tied to one template.
 */
public record LogEntry(Instant at, String kind, String template, String event, String message, String traceback) {
  public static final String PRINT = "print";
  public static final String ERROR = "error";
}
