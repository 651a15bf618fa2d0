package io.templateworker.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/** Bodies of {@code /config} and {@code /bot-stats}. */
public final class Meta {

    private Meta() {
    }

    /** {@code GET /config}: what a frontend needs to know about this deployment. */
    public record ApiConfig(
            @JsonProperty("main_server") @Schema(description = "servers.main: the support guild id") String mainServer,
            @JsonProperty("support_server_invite") @Schema(description = "meta.support_server_invite") String supportServerInvite,
            @JsonProperty("client_id") @Schema(description = "discord_auth.client_id: the OAuth2 client") String clientId) {
    }

    /** One gateway shard in {@code /bot-stats}. */
    public record ShardConn(
            @Schema(description = "Shard state, e.g. connected", example = "connected") String status,
            @JsonProperty("real_latency") @Schema(description = "Heartbeat latency in milliseconds") long realLatency,
            @Schema(description = "Guilds on this shard") long guilds,
            @Schema(description = "Seconds since this connection started") long uptime,
            @JsonProperty("total_uptime") @Schema(description = "Seconds since the shard first connected") long totalUptime) {
    }

    /** {@code GET /bot-stats}. */
    public record GetStatusResponse(
            @JsonProperty("shard_conns") Map<String, ShardConn> shardConns,
            @JsonProperty("total_guilds") long totalGuilds,
            @JsonProperty("total_users") long totalUsers) {
    }
}
