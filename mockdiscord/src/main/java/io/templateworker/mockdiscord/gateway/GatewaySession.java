package io.templateworker.mockdiscord.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A gateway session: what one identify started. It numbers its dispatches ({@code s}) and keeps the last ones so a
 * client that lost its connection can resume from the last sequence number it saw.
 */
final class GatewaySession {

    /** A dispatch as sent: its sequence number and payload. */
    record Sent(long seq, String payload) {
    }

    final String id;
    final int shardId;
    final int shardCount;
    final int intents;
    private final ArrayDeque<Sent> replay = new ArrayDeque<>();
    private long seq;
    /** The live connection, or null while the client is away. */
    GatewayConnection connection;
    /** When the last connection went away (for the resume timeout). */
    long detachedNanos;
    int resumes;

    GatewaySession(String id, int shardId, int shardCount, int intents) {
        this.id = id;
        this.shardId = shardId;
        this.shardCount = shardCount;
        this.intents = intents;
    }

    long seq() {
        return seq;
    }

    /** Numbers a dispatch, keeps it for replay (at most {@code limit} of them) and returns the payload to send. */
    String record(String type, String dataJson, int limit) {
        long s = ++seq;
        String payload = "{\"op\":0,\"s\":" + s + ",\"t\":\"" + type + "\",\"d\":" + dataJson + "}";
        replay.addLast(new Sent(s, payload));
        while (replay.size() > limit) {
            replay.removeFirst();
        }
        return payload;
    }

    /** The dispatches after {@code lastSeen}, or null when some of them are no longer kept. */
    List<String> since(long lastSeen) {
        if (lastSeen >= seq) {
            return List.of();
        }
        Sent first = replay.peekFirst();
        if (first == null || first.seq() > lastSeen + 1) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Sent s : replay) {
            if (s.seq() > lastSeen) {
                out.add(s.payload());
            }
        }
        return out;
    }
}
