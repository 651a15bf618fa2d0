package io.templateworker.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stored custom template (2025 design, UPSTREAM.md §5.6): {@code content} maps VFS paths to Luau source and
 * always has {@code init.luau}; {@code events} are the event names it subscribes to; {@code errorChannel} is
 * a channel snowflake or null.
 */
public record Template(TenantId owner, String name, Map<String, String> content, List<String> events,
                       List<String> allowedCaps, boolean paused, String errorChannel, String language,
                       Instant createdAt, Instant lastUpdatedAt) {

    public Template {
        content = Map.copyOf(content);
        events = List.copyOf(events);
        allowedCaps = List.copyOf(allowedCaps);
    }
}
