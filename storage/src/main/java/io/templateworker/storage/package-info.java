/**
 * PostgreSQL adapters for the runtime's storage ports, by area: {@code kv} (tenant KV), {@code state}
 * (tenant state), {@code globalkv}, {@code template}, and {@code expiry} (the durable key-expiry engine);
 * {@code sql} holds shared JDBC helpers and {@code db} opens and migrates the database.
 */
package io.templateworker.storage;
