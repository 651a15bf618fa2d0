/** Tenant state on PostgreSQL ({@code tenant_state}): the per-tenant event filter, ban flag and loop data. */
package io.templateworker.storage.state;
