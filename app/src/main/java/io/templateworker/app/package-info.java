/**
 * The {@code template-worker} command: parses the command line ({@link io.templateworker.app.Main}), loads
 * the configuration and runs the chosen mode. Only this module wires concrete adapters together.
 */
package io.templateworker.app;
