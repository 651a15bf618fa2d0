/** {@code bin/bench luau}: the classic programs under {@code luau/bench/} on the Luau engine, warm. */
package io.templateworker.bench.luau;
