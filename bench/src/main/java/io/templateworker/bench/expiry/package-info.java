/**
 * {@code bin/bench expiry}: the key-expiry engine against embedded PostgreSQL — lateness under a steady rate
 * of expiring keys, lost and doubled deliveries, drain throughput, and how fast overdue keys fire at start.
 */
package io.templateworker.bench.expiry;
