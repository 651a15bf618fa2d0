package io.templateworker.app.modes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.app.AppContext;
import io.templateworker.app.config.AppConfig;
import io.templateworker.app.config.ConfigException;
import io.templateworker.app.discord.LocalDiscord;
import io.templateworker.app.discord.SlashCommands;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRest;

/**
 * {@code --worker-type register} (UPSTREAM.md §11): evaluates {@code ./builtins.register} of {@code templates.builtins} in
 * a throw-away VM, bulk-overwrites the bot's global slash commands with the result ({@code meta.proxy} or Discord with
 * {@code discord_auth.token}; in local mode a throw-away in-process mock Discord), prints how many and exits 0.
 */
public final class RegisterMode implements Mode {

    @Override
    public int run(AppContext ctx) {
        AppConfig config = ctx.config();
        if (config.templates().builtins() == null) {
            System.err.println("template-worker: --worker-type register evaluates ./builtins.register of templates.builtins, which is"
                    + " not set; set templates.builtins (TW_TEMPLATES_BUILTINS) to a checkout of Anti-Raid/builtins");
            return 2;
        }
        ArrayNode commands;
        try {
            commands = SlashCommands.evaluate(ThreadPoolMode.isolates(ctx, null));
        } catch (IllegalStateException | ConfigException e) {
            System.err.println("template-worker: register: " + e.getMessage());
            return 1;
        }
        MockDiscord mock = null;
        String base;
        String token;
        if (LocalDiscord.needed(config)) {
            // Local mode: a throw-away mock, so the command list can be checked without a bot token.
            mock = MockDiscord.start(MockDiscord.Options.defaults().withAddress("127.0.0.1", 0));
            base = mock.apiBase();
            token = mock.botToken();
        } else {
            base = DiscordRestConfig.apiBaseFor(config.meta().proxy());
            token = config.discordAuth().token();
        }
        try (DiscordRestClient rest = new DiscordRestClient(DiscordRestConfig.defaults(base, token), new SimpleMeterRegistry())) {
            int n = register(rest, commands);
            System.out.println("registered " + n + " global command" + (n == 1 ? "" : "s") + " at " + base
                    + (mock != null ? " (a throw-away mock Discord: local mode, no discord_auth.token)" : ""));
            return 0;
        } catch (DiscordException | IllegalStateException e) {
            System.err.println("template-worker: register: Discord refused the commands: " + e.getMessage());
            return 1;
        } finally {
            if (mock != null) {
                mock.close();
            }
        }
    }

    /** Bulk-overwrites the global commands; returns how many Discord kept. */
    static int register(DiscordRest rest, ArrayNode commands) {
        return SlashCommands.registerGlobal(rest, commands);
    }
}
