/**
 * Converts between {@link io.templateworker.runtime.khronos.KhronosValue} and Luau values (UPSTREAM.md §7.5),
 * so no Luau object leaves its VM.
 */
package io.templateworker.runtime.bridge;
