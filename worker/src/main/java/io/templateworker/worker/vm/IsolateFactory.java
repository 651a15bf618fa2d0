package io.templateworker.worker.vm;

import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.Template;

/** Builds template isolates and runs staff scripts: the worker's only dependency on the script engine. */
public interface IsolateFactory {

  /** Compiles the template's files into a fresh isolate; a compile error throws {@link TemplateFailure}. */
  TemplateIsolate create(Template template) throws TemplateFailure;

  /** Compiles and runs {@code code} as chunk {@code name} with {@code ctx}; returns its first result. */
  KhronosValue runScript(String name, String code, TemplateContext ctx) throws TemplateFailure;
}
