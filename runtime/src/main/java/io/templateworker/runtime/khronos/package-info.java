/**
 * KhronosValue: the tagged value model that crosses every boundary a Luau value may not (KV storage, the HTTP
 * API, Mesophyll), and its exact upstream v2 JSON wire format (UPSTREAM.md §7.5), so rows written by the
 * upstream service can be read here and the other way round.
 *
 * <p>{@link io.templateworker.runtime.khronos.KhronosValue} is the sealed model; {@link
 * io.templateworker.runtime.khronos.KhronosJson} reads and writes the wire format and enforces the nesting
 * depth limit; {@link io.templateworker.runtime.khronos.KhronosException} is the one error both raise.
 */
package io.templateworker.runtime.khronos;
