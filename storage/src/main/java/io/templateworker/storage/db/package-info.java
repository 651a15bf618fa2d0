/**
 * Opening the PostgreSQL database the service runs on: an embedded server under the data directory (local
 * mode) or an external server given by URL, a connection pool over it, and the Flyway schema migrations in
 * {@code db/migration}. Repositories take the {@link javax.sql.DataSource} from {@link
 * io.templateworker.storage.db.Database#dataSource()} and know nothing about how it was opened.
 */
package io.templateworker.storage.db;
