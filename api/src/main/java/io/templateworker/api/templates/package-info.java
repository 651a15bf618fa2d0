/** A guild's templates and logs over HTTP: {@link io.templateworker.api.templates.TemplateRoutes}. */
package io.templateworker.api.templates;
