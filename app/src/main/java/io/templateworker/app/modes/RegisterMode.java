package io.templateworker.app.modes;

import io.templateworker.app.AppContext;

/** {@code --worker-type register}: registers the bot's global slash commands. Not built yet. */
public final class RegisterMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        return NotBuiltYet.report("register",
                "Registering slash commands needs the Discord adapter and the builtins register script, which are planned.");
    }
}
