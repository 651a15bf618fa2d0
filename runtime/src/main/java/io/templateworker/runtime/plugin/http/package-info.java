/**
 * {@code ctx.HTTPClient} (UPSTREAM.md §8.8): outgoing HTTP with upstream's URL and domain rules, no redirects,
 * a 5 s deadline, a body cap, and SSRF protection at connect time ({@link io.templateworker.runtime.plugin.http.SafeDns}).
 */
package io.templateworker.runtime.plugin.http;
