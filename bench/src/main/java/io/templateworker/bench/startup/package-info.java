/** {@code bin/bench startup}: launch-to-healthy and SIGTERM-to-exit times of the real fat jar. */
package io.templateworker.bench.startup;
