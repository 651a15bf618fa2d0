/**
 * Custom templates on PostgreSQL ({@code templates}, the 2025 design): create, update, delete, list and get,
 * with the validation rules every template must pass before it is stored ({@link
 * io.templateworker.storage.template.TemplateRules}).
 */
package io.templateworker.storage.template;
