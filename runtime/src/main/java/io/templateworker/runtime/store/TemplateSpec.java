package io.templateworker.runtime.store;

import java.util.List;
import java.util.Map;

/**
 * What a caller submits to create or update a template; {@link TemplateStore} validates it. {@code language}
 * null means {@code luau}.
 */
public record TemplateSpec(String name, Map<String, String> content, List<String> events, List<String> allowedCaps,
                           boolean paused, String errorChannel, String language) {
}
