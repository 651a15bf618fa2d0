/** Luau run-time values: strings as bytes, tables with array and hash parts, functions, userdata, buffers, vectors. */
package io.templateworker.luau.value;
