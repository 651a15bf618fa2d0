/**
 * What a template handler is given: the {@link io.templateworker.runtime.context.TemplateContext} with its
 * event, capabilities and shared services, and the capability rules (UPSTREAM.md §8.2, §8.3).
 */
package io.templateworker.runtime.context;
