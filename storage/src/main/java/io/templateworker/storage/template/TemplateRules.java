package io.templateworker.storage.template;

import io.templateworker.runtime.store.KvLimits;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TemplateSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What makes a template storable. Messages name the template and the rule so the author can fix it.
 * Content is bounded like a KV value (256 KiB in total), since upstream stored templates as KV values.
 */
public final class TemplateRules {

    public static final String ENTRY_POINT = "init.luau";
    public static final String LANGUAGE = "luau";
    public static final int MAX_NAME = 100;
    public static final int MAX_PATH = 256;
    public static final int MAX_CONTENT_BYTES = KvLimits.MAX_VALUE_BYTES;
    public static final int MAX_EVENTS = 100;
    public static final int MAX_EVENT_NAME = 256;
    public static final int MAX_CAPS = 100;
    public static final int MAX_CAP = 256;

    private TemplateRules() {
    }

    /** A validated copy of {@code spec}: language defaulted, events and caps de-duplicated in order. */
    public static TemplateSpec validate(TemplateSpec spec) {
        if (spec == null) {
            throw invalid("a template needs a name, content, events and allowed_caps");
        }
        String name = spec.name();
        checkName(name);
        String where = "template \"" + name + "\": ";
        String language = spec.language() == null ? LANGUAGE : spec.language();
        if (!LANGUAGE.equals(language)) {
            throw invalid(where + "unsupported language \"" + language + "\"; only \"luau\" is supported");
        }
        Map<String, String> content = spec.content();
        if (content == null || content.isEmpty()) {
            throw invalid(where + "content is empty; it needs at least an " + ENTRY_POINT);
        }
        if (!content.containsKey(ENTRY_POINT)) {
            throw invalid(where + "content has no " + ENTRY_POINT + " (the entry point); files: " + content.keySet());
        }
        long total = 0;
        for (Map.Entry<String, String> file : content.entrySet()) {
            checkPath(where, file.getKey());
            if (file.getValue() == null) {
                throw invalid(where + "file " + file.getKey() + " has no source");
            }
            if (file.getValue().indexOf('\0') >= 0) {
                throw invalid(where + "file " + file.getKey() + " contains a NUL character");
            }
            total += file.getKey().getBytes(StandardCharsets.UTF_8).length + file.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_CONTENT_BYTES) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, where + "content is " + total
                    + " bytes; the limit is " + MAX_CONTENT_BYTES + " (256 KiB)");
        }
        List<String> events = distinct(where, "event", spec.events(), MAX_EVENTS, MAX_EVENT_NAME);
        List<String> caps = distinct(where, "allowed_caps entry", spec.allowedCaps(), MAX_CAPS, MAX_CAP);
        String channel = spec.errorChannel();
        if (channel != null && !isSnowflake(channel)) {
            throw invalid(where + "error_channel \"" + channel + "\" is not a channel id (a decimal snowflake)");
        }
        return new TemplateSpec(name, content, events, caps, spec.paused(), channel, language);
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("a template needs a non-empty name");
        }
        if (name.length() > MAX_NAME) {
            throw invalid("template name is " + name.length() + " characters; the limit is " + MAX_NAME);
        }
        if (name.charAt(0) == '$') {
            throw invalid("template name \"" + name + "\" starts with '$', which is reserved for $builtins and shop templates");
        }
        if (!name.equals(name.strip())) {
            throw invalid("template name \"" + name + "\" has leading or trailing spaces");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw invalid("template name contains a control character at position " + (i + 1));
            }
        }
    }

    private static void checkPath(String where, String path) {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
            throw invalid(where + "file paths must be 1 to " + MAX_PATH + " characters");
        }
        if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            throw invalid(where + "file path \"" + path + "\" must be relative, with '/' separators");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw invalid(where + "file path \"" + path + "\" has an empty, '.' or '..' segment");
            }
        }
    }

    private static List<String> distinct(String where, String what, List<String> items, int maxItems, int maxLength) {
        if (items == null) {
            return List.of();
        }
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String item : items) {
            if (item == null || item.isEmpty() || item.length() > maxLength || item.indexOf('\0') >= 0) {
                throw invalid(where + "each " + what + " must be 1 to " + maxLength + " characters, got \"" + item + "\"");
            }
            set.add(item);
        }
        if (set.size() > maxItems) {
            throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, where + set.size() + " " + what
                    + "s; the limit is " + maxItems);
        }
        return new ArrayList<>(set);
    }

    private static boolean isSnowflake(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        try {
            return Long.parseLong(s) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static StoreException invalid(String message) {
        return new StoreException(StoreException.Kind.INVALID_ARGUMENT, message);
    }
}
