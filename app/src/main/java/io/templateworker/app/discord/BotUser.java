package io.templateworker.app.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.runtime.discord.DiscordException;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordRest;
import java.io.IOException;
import java.util.function.LongSupplier;

/** The bot's own user id, asked of Discord ({@code GET /users/@me}) on first use and kept; 0 while unknown. */
final class BotUser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BotUser() {
    }

    static LongSupplier lazy(DiscordRest rest) {
        long[] known = new long[1];
        return () -> {
            synchronized (known) {
                if (known[0] == 0) {
                    try {
                        String id = JSON.readTree(rest.execute(DiscordRequest.get("/users/@me")).body()).path("id").asText("0");
                        known[0] = Long.parseUnsignedLong(id);
                    } catch (DiscordException | IOException | NumberFormatException e) {
                        return 0; // asked again next time
                    }
                }
                return known[0];
            }
        };
    }
}
