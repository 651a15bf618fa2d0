/** Template errors on PostgreSQL ({@code template_errors}), the durable half of the tenants' logs. */
package io.templateworker.storage.logs;
