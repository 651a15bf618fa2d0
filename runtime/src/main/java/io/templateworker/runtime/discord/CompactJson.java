package io.templateworker.runtime.discord;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.templateworker.runtime.event.RawJson;
import java.io.IOException;

/**
 * Discord objects kept in the guild state as UTF-8 JSON text rather than as Jackson trees: a tree costs several times
 * its text (a map entry, a node and a string per field), and the guild state holds thousands of members. The text is
 * parsed back only when a template or the API reads the whole object.
 */
final class CompactJson {

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private CompactJson() {
    }

    static RawJson of(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        try {
            return RawJson.wrap(JSON.writeValueAsBytes(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Discord object as JSON: " + e.getMessage(), e);
        }
    }

    /** The tree again (a fresh one each call: callers may change it); a missing node when nothing was kept. */
    static JsonNode tree(RawJson json) {
        if (json == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(json.bytes());
        } catch (IOException e) {
            throw new IllegalStateException("stored Discord JSON does not parse: " + e.getMessage(), e);
        }
    }
}
