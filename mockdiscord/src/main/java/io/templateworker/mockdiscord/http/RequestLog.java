package io.templateworker.mockdiscord.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The Discord API requests the mock received ({@code GET /__mock/requests}), oldest first, so a test can check what a
 * client sent — and that a call refused before sending sent nothing. Keeps the latest {@link #CAPACITY}.
 */
public final class RequestLog {

    static final int CAPACITY = 10_000;

    /**
     * @param route  the route template ({@code /channels/{channel_id}/messages}), as the rate limits name it
     * @param path   the path as requested, under {@code /api/v10}
     * @param status what the mock answered (429 when rate limited)
     */
    public record Entry(String method, String route, String path, int status) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    synchronized void add(Entry e) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(e);
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }
}
