/**
 * The Luau standard library: one class per global library ({@code string}, {@code table}, {@code math},
 * {@code bit32}, {@code utf8}, {@code buffer}, {@code os}, {@code debug}, {@code vector}, {@code integer},
 * base functions and {@code coroutine}), installed into a globals table by {@link
 * io.templateworker.luau.lib.StandardLibrary}. Builtins check arguments through {@link
 * io.templateworker.luau.lib.Args}, raise errors worded like Luau's, charge what they build to the VM's memory
 * budget and check the VM's interrupt in long loops.
 */
package io.templateworker.luau.lib;
