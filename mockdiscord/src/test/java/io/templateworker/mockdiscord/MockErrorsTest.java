package io.templateworker.mockdiscord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.templateworker.mockdiscord.state.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Discord's answers to requests it refuses, on the routes {@code ctx.Discord} uses: the HTTP status and Discord's JSON
 * error code and message, one row per case. The requests refused change nothing, so one mock serves every row.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MockErrorsTest {

    MockDiscord discord;
    Http http;

    @BeforeAll
    void start() {
        discord = MockDiscord.start(MockDiscord.Options.defaults());
        discord.rateLimits().disable();
        DemoGuild.seed(discord);
        http = new Http(discord);
    }

    @AfterAll
    void stop() {
        discord.close();
    }

    static String expand(String s) {
        return s.replace("{G}", Json.id(DemoGuild.GUILD_ID)).replace("{GENERAL}", Json.id(DemoGuild.GENERAL_CHANNEL_ID))
                .replace("{OWNER}", Json.id(DemoGuild.OWNER_ID)).replace("{BOB}", Json.id(DemoGuild.BOB_ID))
                .replace("{BOTROLE}", Json.id(DemoGuild.BOT_ROLE_ID)).replace("{APP}", Json.id(MockDiscord.DEFAULT_BOT_ID));
    }

    @ParameterizedTest(name = "{0} {1} → {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            GET    | /channels/1                                       |                           | 404 | 10003 | Unknown Channel
            GET    | /guilds/1                                         |                           | 404 | 10004 | Unknown Guild
            GET    | /channels/{GENERAL}/messages/1                    |                           | 404 | 10008 | Unknown Message
            GET    | /guilds/{G}/members/1064135068928455555           |                           | 404 | 10007 | Unknown Member
            GET    | /guilds/{G}/roles/1                               |                           | 404 | 10011 | Unknown Role
            GET    | /guilds/{G}/bans/{BOB}                            |                           | 404 | 10026 | Unknown Ban
            GET    | /webhooks/1                                       |                           | 404 | 10015 | Unknown Webhook
            GET    | /invites/nope                                     |                           | 404 | 10006 | Unknown Invite
            GET    | /applications/{APP}/guilds/{G}/commands/1         |                           | 404 | 10063 | Unknown application command
            POST   | /interactions/1/nope/callback                     | `{"type":1}`              | 404 | 10062 | Unknown interaction
            DELETE | /guilds/{G}/members/{OWNER}                       |                           | 403 | 50013 | Missing Permissions
            PUT    | /guilds/{G}/bans/{OWNER}                          | `{}`                      | 403 | 50013 | Missing Permissions
            PATCH  | /guilds/{G}                                       | `{"name":"Renamed"}`      | 403 | 50013 | Missing Permissions
            POST   | /guilds/{G}/channels                              | `{"name":"new"}`          | 403 | 50013 | Missing Permissions
            PUT    | /guilds/{G}/members/{BOB}/roles/{BOTROLE}         |                           | 403 | 50013 | Missing Permissions
            POST   | /channels/{GENERAL}/messages                      | `{"content":""}`          | 400 | 50006 | Cannot send an empty message
            POST   | /channels/{GENERAL}/messages                      | `{nope`                   | 400 | 50109 | The request body contains invalid JSON.
            POST   | /channels/{GENERAL}/messages/bulk-delete          | `{"messages":["1"]}`      | 400 | 50016 | You must provide at least 2 and fewer than 100 messages to delete.
            PATCH  | /guilds/{G}/members/{BOB}                         | `{"nick":"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"}` | 400 | 50035 | Invalid Form Body
            POST   | /guilds/{G}/roles                                 | `{"permissions":"8"}`     | 403 | 50013 | Missing Permissions
            """)
    void refused_as_discord_refuses(String method, String path, String body, int status, int code, String message) {
        Http.Response r = http.bot(method, expand(path), body == null ? null : body);
        assertThat(r.status()).as("status").isEqualTo(status);
        JsonNode b = r.body();
        assertThat(b.path("code").asInt()).as("code").isEqualTo(code);
        assertThat(b.path("message").asText()).as("message").isEqualTo(message);
    }
}
