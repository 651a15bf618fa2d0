/**
 * Upstream's typed values as Luau userdata (UPSTREAM.md §8.12 "Primitives", §7.5): {@link DateTime},
 * {@link TimeDelta}, {@link Timezone} (IANA zones through {@code java.time}), {@link I64}, {@link U64},
 * {@link Lazy} ({@code .data}), {@link Blob} ({@code #len}, {@code drain}, {@code zeroize}), {@link Opaque},
 * and {@link Interop}'s {@code null} and array metatable. Each type's metatable is built once per JVM and
 * frozen, so every VM shares it; {@link HostArgs} checks host-function arguments and names the argument in
 * its errors.
 */
package io.templateworker.runtime.values;
