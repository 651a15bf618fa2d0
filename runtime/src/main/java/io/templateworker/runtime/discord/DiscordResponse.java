package io.templateworker.runtime.discord;

/**
 * A successful answer from Discord.
 *
 * @param status the HTTP status (200, 201, 204)
 * @param body   the raw JSON body, empty for 204
 */
public record DiscordResponse(int status, String body) {

    public boolean hasBody() {
        return !body.isEmpty();
    }
}
