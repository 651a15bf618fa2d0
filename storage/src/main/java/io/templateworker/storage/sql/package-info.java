/**
 * JDBC plumbing shared by the PostgreSQL adapters: turning {@link java.sql.SQLException}s into
 * {@link io.templateworker.runtime.store.StoreException}s a template author can act on, and converting
 * timestamps and arrays between Java and PostgreSQL.
 */
package io.templateworker.storage.sql;
