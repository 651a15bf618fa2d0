/** Plugs the storage key-expiry engine into the workers: expired and resumed keys become scoped events. */
package io.templateworker.worker.expiry;
