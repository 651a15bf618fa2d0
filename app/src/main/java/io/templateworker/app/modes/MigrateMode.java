package io.templateworker.app.modes;

import io.templateworker.app.AppContext;
import io.templateworker.app.service.ServiceRunner;
import io.templateworker.storage.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --worker-type migrate}: applies pending schema migrations and exits 0. Running it again applies
 * nothing. Unlike upstream it needs nothing but the database (no gateway lookup). In local mode it uses the running
 * service's embedded PostgreSQL when a service runs on the data folder, else it starts one for itself.
 */
public final class MigrateMode implements Mode {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateMode.class);

    @Override
    public int run(AppContext ctx) {
        try (ServiceRunner.ToolDatabase tool = ServiceRunner.openDatabaseForTool(ctx)) {
            Database db = tool.database();
            int applied = db.migrate();
            LOG.info("{}: {}", db.description(), applied == 0 ? "schema is up to date, nothing to apply"
                    : "applied " + applied + " migration(s)");
        }
        return 0;
    }
}
