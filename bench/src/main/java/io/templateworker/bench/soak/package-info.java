/** {@code bin/bench soak}: a long mixed run with crashes and a database restart; nothing may be lost or doubled. */
package io.templateworker.bench.soak;
