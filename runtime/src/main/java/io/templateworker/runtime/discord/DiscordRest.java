package io.templateworker.runtime.discord;

/**
 * Discord's REST API: raw JSON in, raw JSON out. Implementations respect Discord's rate limits (callers may block
 * while a bucket resets) and never send a request a known bucket forbids.
 */
public interface DiscordRest {

    /**
     * Sends one request and waits for its answer.
     *
     * @return the 2xx answer
     * @throws DiscordException for an error answer, a rate limit that outlasts the allowed wait, a local refusal, or an
     *                          unreachable Discord
     */
    DiscordResponse execute(DiscordRequest request);
}
