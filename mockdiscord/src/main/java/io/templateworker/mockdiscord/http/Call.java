package io.templateworker.mockdiscord.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.templateworker.mockdiscord.state.DiscordError;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockState;
import io.templateworker.mockdiscord.state.MockUser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** One request to a Discord route: who calls, its path, query and body, read the way Discord reads them. */
public final class Call {

    final Context ctx;
    public final MockState state;
    /** The calling user (the bot, or an OAuth2 user), or null on token-authenticated routes. */
    public final MockUser caller;
    /** True when the caller used an OAuth2 Bearer token. */
    public final boolean bearer;
    /** The OAuth2 scopes of a Bearer caller. */
    public final String scope;
    private JsonNode body;
    int status = 0;

    Call(Context ctx, MockState state, MockUser caller, boolean bearer, String scope) {
        this.ctx = ctx;
        this.state = state;
        this.caller = caller;
        this.bearer = bearer;
        this.scope = scope;
    }

    /** A snowflake path parameter; anything else is Discord's 400 "is not snowflake". */
    public long id(String name) {
        String v = ctx.pathParam(name);
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw DiscordError.invalidForm(name, "NUMBER_TYPE_COERCE", "Value \"" + v + "\" is not snowflake.");
        }
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    public String query(String name) {
        return ctx.queryParam(name);
    }

    public int queryInt(String name, int def, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw DiscordError.invalidForm(name, "NUMBER_TYPE_COERCE", "Value \"" + v + "\" is not int.");
        }
        if (n < min || n > max) {
            throw DiscordError.invalidForm(name, "NUMBER_TYPE_MAX", "int value should be less than or equal to " + max + ".");
        }
        return n;
    }

    /** A snowflake query parameter, or 0 when absent. */
    public long queryId(String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw DiscordError.invalidForm(name, "NUMBER_TYPE_COERCE", "Value \"" + v + "\" is not snowflake.");
        }
    }

    public boolean queryBool(String name) {
        return "true".equalsIgnoreCase(ctx.queryParam(name));
    }

    /** The JSON body as an object ({@code {}} when empty); invalid JSON is Discord's 50109. */
    public ObjectNode body() {
        JsonNode b = json();
        if (b == null || b.isNull()) {
            return Json.obj();
        }
        if (!(b instanceof ObjectNode o)) {
            throw DiscordError.invalidForm("_root", "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
        }
        return o;
    }

    /** The JSON body as parsed (an array for bulk routes); null when empty. */
    public JsonNode json() {
        if (body == null) {
            byte[] bytes = ctx.bodyAsBytes();
            if (bytes.length == 0) {
                return null;
            }
            String type = ctx.contentType();
            if (type != null && type.startsWith("multipart/")) {
                throw new DiscordError(400, 50035, "Invalid Form Body: the mock takes JSON bodies only (no file uploads)");
            }
            try {
                body = Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                throw DiscordError.invalidJson();
            }
        }
        return body;
    }

    /** The {@code X-Audit-Log-Reason} header (URL-encoded, as Discord requires), or null. */
    public String reason() {
        String r = ctx.header("X-Audit-Log-Reason");
        if (r == null || r.isEmpty()) {
            return null;
        }
        return URLDecoder.decode(r.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Answers with this status instead of the default (200 with a body, 204 without). */
    public void status(int status) {
        this.status = status;
    }

    /** The caller, which must be the bot (not an OAuth2 user). */
    public MockUser bot() {
        if (caller == null || bearer) {
            throw DiscordError.unauthorized();
        }
        return caller;
    }
}
