/** {@code bin/bench dispatch}: event dispatch through the thread pool and the process pool with a trivial Luau handler. */
package io.templateworker.bench.dispatch;
