package io.templateworker.worker.vm;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;

/** Opens tenant VMs and runs staff scripts: the worker's only dependency on the script engine. */
public interface IsolateFactory {

  /** A fresh VM for {@code tenant}, into which its templates are loaded as isolates; the caller closes it. */
  TenantEngine open(TenantId tenant);

  /** Compiles and runs {@code code} as chunk {@code name} with {@code ctx}; returns its first result. */
  KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure;

  /** Whether every tenant runs the builtins first ({@code templates.builtins} is set). */
  default boolean hasBuiltins() {
    return false;
  }
}
