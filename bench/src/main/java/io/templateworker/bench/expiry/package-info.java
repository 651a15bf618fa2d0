/**
 * {@code bin/bench expiry}: the key-expiry engine against embedded PostgreSQL — lateness under a steady rate
 * of expiring keys, lost and doubled deliveries, drain throughput, and how fast overdue keys fire at start.
 *
 * <p>Measured 2026-11-27 on the shared 2-core development VM (embedded PostgreSQL 17, fsync off, default
 * {@code ExpiryConfig}), {@code --seconds 60}: at 10,000 keys/s lateness p50 0.07 ms, p99 2.98 ms, p99.9
 * 54 ms; at 1,000 keys/s p50 0.08 ms, p99 6.7 ms; 0 lost and 0 doubled in every run; drain 23,000–27,600
 * expiries/s; 10,000 keys overdue at start all fired 467 ms after {@code start()} returned. When other
 * builds kept the load average above 12 the same runs gave p99 up to 100 ms and drains of 7,000–12,000/s.
 */
package io.templateworker.bench.expiry;
