/**
 * Test doubles for the worker tests: in-memory tenant-state and template stores, and a scripted isolate factory
 * standing in for the Luau engine (each template's {@code init.luau} holds one command the double executes).
 */
package io.templateworker.worker.testing;
