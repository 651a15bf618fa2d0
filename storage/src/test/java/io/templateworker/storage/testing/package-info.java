/**
 * Test fixtures shared by every module through the storage test-jar: one embedded PostgreSQL per test JVM
 * and a fresh, migrated database per call, so test classes never see each other's rows.
 */
package io.templateworker.storage.testing;
