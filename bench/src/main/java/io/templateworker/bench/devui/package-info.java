/** {@code bin/bench devui}: from launching {@code bin/template-worker} to the demo template answering {@code !ping} through the dev UI's routes. */
package io.templateworker.bench.devui;
