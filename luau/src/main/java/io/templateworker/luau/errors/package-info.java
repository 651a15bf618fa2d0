/** Luau errors as Java exceptions: the thrown Luau value, its traceback, limit violations, and the one message factory. */
package io.templateworker.luau.errors;
