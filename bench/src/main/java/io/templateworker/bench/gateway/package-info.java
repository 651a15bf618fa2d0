/** {@code bin/bench gateway}: events from the mock Discord's gateway through templates to the Discord plugin. */
package io.templateworker.bench.gateway;
