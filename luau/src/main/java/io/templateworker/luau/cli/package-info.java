/** The {@code bin/luau} command line: run files or a string, or only compile, like the reference CLI. */
package io.templateworker.luau.cli;
