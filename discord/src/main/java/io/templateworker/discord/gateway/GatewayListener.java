package io.templateworker.discord.gateway;

/**
 * Receives what the gateway delivers. Called on the shard's receiving thread, one call at a time per shard and in
 * sequence order: do quick work (a queue hand-off) and return.
 */
public interface GatewayListener {

    /** A dispatch. READY and RESUMED come here too (before the shard's status changes). */
    void onEvent(GatewayEvent event);

    /** A shard's state changed. */
    default void onStatus(int shard, ShardStatus status) {
    }
}
