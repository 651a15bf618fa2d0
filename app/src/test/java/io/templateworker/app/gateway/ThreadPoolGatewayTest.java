package io.templateworker.app.gateway;

import io.templateworker.app.AppContext;
import io.templateworker.app.WorkerType;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.modes.ThreadPoolMode;
import io.templateworker.app.service.Service;
import java.util.Map;
import java.util.function.BiFunction;

/** The gateway path on the thread pool: the master reads all 4 shards (twice the 2 workers, as discord.shards allows). */
class ThreadPoolGatewayTest extends GatewayEndToEnd {

    @Override
    WorkerType workerType() {
        return WorkerType.THREADPOOL;
    }

    @Override
    BiFunction<AppContext, Service, DiscordSetup> mode() {
        return ThreadPoolMode::install;
    }

    @org.junit.jupiter.api.Test
    void bot_stats_lists_the_gateway_shards_this_process_reads() throws Exception {
        com.fasterxml.jackson.databind.JsonNode stats = api("GET", "/bot-stats", null);
        org.assertj.core.api.Assertions.assertThat(stats.path("shard_conns").size()).isEqualTo(4);
        org.assertj.core.api.Assertions.assertThat(stats.path("shard_conns").path("3").path("status").asText())
                .isIn("idle", "connecting", "ready", "reconnecting");
    }

    @Override
    Map<String, String> env() {
        return Map.of("TW_DISCORD_SHARDS", "4");
    }
}
