/**
 * One class per {@code --worker-type}. Service modes (threadpool, processpool) start through {@link
 * io.templateworker.app.service.ServiceRunner}; one-shot modes (migrate, register) do their work and exit.
 * A mode that is not built yet says so and exits 2.
 */
package io.templateworker.app.modes;
