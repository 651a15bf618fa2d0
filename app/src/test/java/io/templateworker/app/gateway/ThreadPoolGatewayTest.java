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

    @Override
    Map<String, String> env() {
        return Map.of("TW_DISCORD_SHARDS", "4");
    }
}
