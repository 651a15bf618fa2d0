/** The embedding API: compile once, create VMs, load chunks with an environment, call in, convert values. */
package io.templateworker.luau.embed;
