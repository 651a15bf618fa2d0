package io.templateworker.app.gateway;

import io.templateworker.app.AppContext;
import io.templateworker.app.WorkerType;
import io.templateworker.app.discord.DiscordSetup;
import io.templateworker.app.modes.ProcessPoolMode;
import io.templateworker.app.service.Service;
import java.util.function.BiFunction;

/**
 * The gateway path on the process pool: two child JVMs, each reading its own shard of the mock's gateway (events never
 * cross Mesophyll); their template errors reach the master over Mesophyll, which posts the reports.
 */
class ProcessPoolGatewayTest extends GatewayEndToEnd {

    @Override
    WorkerType workerType() {
        return WorkerType.PROCESSPOOL;
    }

    @Override
    BiFunction<AppContext, Service, DiscordSetup> mode() {
        return ProcessPoolMode::install;
    }
}
