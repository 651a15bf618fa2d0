/** {@code ctx.GlobalKV}: cross-tenant listings with review and purchases (UPSTREAM.md §8.6, §5.4). */
package io.templateworker.runtime.plugin.globalkv;
