/** {@code ctx.Runtime}: tenant state, stats, links, the event list and the exposed VFS (UPSTREAM.md §8.10). */
package io.templateworker.runtime.plugin.runtime;
