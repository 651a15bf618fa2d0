package io.templateworker.worker.vm;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosValue;

/**
 * One template's isolated environment: own globals, own {@code require} over the template's files, entry
 * {@code init.luau} returning a table of handlers keyed by event name. Never called by two threads at once.
 */
public interface TemplateIsolate extends AutoCloseable {

  /**
   * Calls the handler for {@code ctx.event().name()} and returns its value ({@code Null} when the template has
   * no handler for the event). A failure in the template throws {@link TemplateFailure}.
   */
  KhronosValue handle(TemplateContext ctx) throws TemplateFailure;

  /** True after a fatal error (e.g. the memory limit): the tenant's VM is dropped and rebuilt on the next event. */
  boolean isBroken();

  @Override
  void close();
}
