/** {@code ctx.ObjectStorage}: the tenant's bucket (UPSTREAM.md §8.7, §10.1). */
package io.templateworker.runtime.plugin.objectstorage;
