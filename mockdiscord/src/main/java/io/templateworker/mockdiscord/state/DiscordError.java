package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error the mock answers the way Discord does: an HTTP status and a body {@code {"message", "code"}} (plus
 * {@code errors} for invalid form bodies). Messages are Discord's own wording.
 */
public final class DiscordError extends RuntimeException {

    private final int status;
    private final int code;
    private final transient ObjectNode errors;

    public DiscordError(int status, int code, String message) {
        this(status, code, message, null);
    }

    public DiscordError(int status, int code, String message, ObjectNode errors) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = errors;
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public ObjectNode body() {
        ObjectNode body = Json.obj();
        body.put("message", getMessage());
        body.put("code", code);
        if (errors != null) {
            body.set("errors", errors);
        }
        return body;
    }

    public static DiscordError unauthorized() {
        return new DiscordError(401, 0, "401: Unauthorized");
    }

    public static DiscordError notFound() {
        return new DiscordError(404, 0, "404: Not Found");
    }

    public static DiscordError missingAccess() {
        return new DiscordError(403, 50001, "Missing Access");
    }

    public static DiscordError missingPermissions() {
        return new DiscordError(403, 50013, "Missing Permissions");
    }

    public static DiscordError unknown(int code, String what) {
        return new DiscordError(404, code, "Unknown " + what);
    }

    public static DiscordError unknownGuild() {
        return unknown(10004, "Guild");
    }

    public static DiscordError unknownChannel() {
        return unknown(10003, "Channel");
    }

    public static DiscordError unknownMessage() {
        return unknown(10008, "Message");
    }

    public static DiscordError unknownMember() {
        return unknown(10007, "Member");
    }

    public static DiscordError unknownRole() {
        return unknown(10011, "Role");
    }

    public static DiscordError unknownUser() {
        return unknown(10013, "User");
    }

    public static DiscordError unknownBan() {
        return unknown(10026, "Ban");
    }

    public static DiscordError unknownWebhook() {
        return unknown(10015, "Webhook");
    }

    public static DiscordError unknownInteraction() {
        return unknown(10062, "interaction");
    }

    public static DiscordError unknownCommand() {
        return unknown(10063, "application command");
    }

    public static DiscordError unknownInvite() {
        return unknown(10006, "Invite");
    }

    public static DiscordError unknownOverwrite() {
        return unknown(10009, "Overwrite");
    }

    public static DiscordError unknownEmoji() {
        return new DiscordError(400, 10014, "Unknown Emoji");
    }

    public static DiscordError emptyMessage() {
        return new DiscordError(400, 50006, "Cannot send an empty message");
    }

    public static DiscordError invalidJson() {
        return new DiscordError(400, 50109, "The request body contains invalid JSON.");
    }

    /** 50035 Invalid Form Body with one field error, as Discord nests them: {@code {field: {_errors: [...]}}}. */
    public static DiscordError invalidForm(String field, String errorCode, String message) {
        ObjectNode errors = Json.obj();
        ObjectNode at = errors;
        String[] path = field.split("\\.");
        for (String part : path) {
            at = at.putObject(part);
        }
        ObjectNode e = at.putArray("_errors").addObject();
        e.put("code", errorCode);
        e.put("message", message);
        return new DiscordError(400, 50035, "Invalid Form Body", errors);
    }

    public static DiscordError required(String field) {
        return invalidForm(field, "BASE_TYPE_REQUIRED", "This field is required");
    }

    public static DiscordError maxLength(String field, int max) {
        return invalidForm(field, "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.");
    }

    public static DiscordError badLength(String field, int min, int max) {
        return invalidForm(field, "BASE_TYPE_BAD_LENGTH", "Must be between " + min + " and " + max + " in length.");
    }
}
