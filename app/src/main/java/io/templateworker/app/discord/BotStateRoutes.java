package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.swagger.v3.oas.annotations.media.Schema;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.worker.luau.LuauIsolateFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /bot-state} (UPSTREAM.md §4.5, §11): the bot's global slash commands, evaluated once from
 * {@code ./builtins.register} of {@code templates.builtins} — the list {@code --worker-type register} registers. Without
 * {@code templates.builtins} the list is empty.
 */
public final class BotStateRoutes implements RouteGroup {

    /** {@code TwState}: the commands in Discord's CreateCommand shape (UPSTREAM.md §4.7). */
    public record TwState(@Schema(description = "The global slash commands (ApiCreateCommand)") List<JsonNode> commands) {
    }

    private final LuauIsolateFactory isolates;
    private TwState state;
    private String failure;

    public BotStateRoutes(LuauIsolateFactory isolates) {
        this.isolates = isolates;
    }

    @Override
    public String tag() {
        return "Bot";
    }

    @Override
    public void register(Routes routes) {
        routes.get("/bot-state").summary("The bot's global slash commands, from ./builtins.register").response(TwState.class)
                .handle(ctx -> ctx.json(state()));
    }

    /** Computed on first use and kept (as upstream, once per process); a failing script is reported each time. */
    synchronized TwState state() {
        if (state == null && failure == null) {
            if (!isolates.hasBuiltins()) {
                state = new TwState(List.of());
            } else {
                try {
                    ArrayNode commands = SlashCommands.evaluate(isolates);
                    List<JsonNode> list = new ArrayList<>();
                    commands.forEach(list::add);
                    state = new TwState(List.copyOf(list));
                } catch (IllegalStateException e) {
                    failure = e.getMessage();
                }
            }
        }
        if (failure != null) {
            throw ApiException.unavailable("the slash commands could not be computed: " + failure + " (fix templates.builtins"
                    + " and restart)");
        }
        return state;
    }
}
