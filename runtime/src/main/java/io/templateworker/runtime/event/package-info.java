/** The event a template receives (upstream's CreateEvent) and the rules for which templates it reaches. */
package io.templateworker.runtime.event;
