package io.templateworker.worker.vm;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosValue;

/**
 * One template's isolated environment inside its tenant's {@link TenantEngine}: own globals, own
 * {@code require} over the template's files, entry {@code init.luau} returning a table of handlers keyed by
 * event name. Never called by two threads at once (the tenant VM's lock).
 */
public interface TemplateIsolate extends AutoCloseable {

  /**
   * Calls the handler for {@code ctx.event().name()} and returns its value ({@code Null} when the template has
   * no handler for the event). A failure in the template throws {@link TemplateFailure}.
   */
  KhronosValue handle(TemplateContext ctx) throws TemplateFailure;

  /** True after a fatal error (e.g. the memory limit) in this or another isolate of the same VM. */
  boolean isBroken();

  /** Forgets the isolate's environment; the VM itself is closed by its {@link TenantEngine}. */
  @Override
  void close();
}
