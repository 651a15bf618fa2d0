package io.templateworker.worker.vm;

import io.templateworker.runtime.store.Template;

/**
 * One tenant's script VM: every template of the tenant is an isolate inside it (own globals, own
 * {@code require}), sharing its builtins and its memory and time limits. Confined like the VM: one caller at a
 * time ({@link TenantVm} holds its lock around every call).
 */
public interface TenantEngine extends AutoCloseable {

  /**
   * Loads a template as a new isolate (runs its {@code init.luau}). A load error throws {@link TemplateFailure}
   * and affects only this template, unless it is fatal, which also breaks the VM.
   */
  TemplateIsolate load(Template template) throws TemplateFailure;

  /** True after a fatal error (the memory limit): the VM is dropped and rebuilt on the tenant's next event. */
  boolean isBroken();

  /** Frees the VM and every isolate in it. */
  @Override
  void close();
}
