package io.templateworker.mockdiscord.gateway;

import java.util.Map;

/** Discord's gateway intents as the mock enforces them: which intent a dispatch needs, which bits exist. */
public final class GatewayIntents {

    public static final int GUILDS = 1;
    public static final int GUILD_MEMBERS = 1 << 1;
    public static final int GUILD_MODERATION = 1 << 2;
    public static final int GUILD_EXPRESSIONS = 1 << 3;
    public static final int GUILD_INTEGRATIONS = 1 << 4;
    public static final int GUILD_WEBHOOKS = 1 << 5;
    public static final int GUILD_INVITES = 1 << 6;
    public static final int GUILD_VOICE_STATES = 1 << 7;
    public static final int GUILD_PRESENCES = 1 << 8;
    public static final int GUILD_MESSAGES = 1 << 9;
    public static final int GUILD_MESSAGE_REACTIONS = 1 << 10;
    public static final int GUILD_MESSAGE_TYPING = 1 << 11;
    public static final int DIRECT_MESSAGES = 1 << 12;
    public static final int DIRECT_MESSAGE_REACTIONS = 1 << 13;
    public static final int DIRECT_MESSAGE_TYPING = 1 << 14;
    public static final int MESSAGE_CONTENT = 1 << 15;
    public static final int GUILD_SCHEDULED_EVENTS = 1 << 16;
    public static final int AUTO_MODERATION_CONFIGURATION = 1 << 20;
    public static final int AUTO_MODERATION_EXECUTION = 1 << 21;
    public static final int GUILD_MESSAGE_POLLS = 1 << 24;
    public static final int DIRECT_MESSAGE_POLLS = 1 << 25;

    /** Every bit Discord defines; an identify with any other bit is closed with 4013. */
    public static final int ALL = GUILDS | GUILD_MEMBERS | GUILD_MODERATION | GUILD_EXPRESSIONS | GUILD_INTEGRATIONS
            | GUILD_WEBHOOKS | GUILD_INVITES | GUILD_VOICE_STATES | GUILD_PRESENCES | GUILD_MESSAGES | GUILD_MESSAGE_REACTIONS
            | GUILD_MESSAGE_TYPING | DIRECT_MESSAGES | DIRECT_MESSAGE_REACTIONS | DIRECT_MESSAGE_TYPING | MESSAGE_CONTENT
            | GUILD_SCHEDULED_EVENTS | AUTO_MODERATION_CONFIGURATION | AUTO_MODERATION_EXECUTION | GUILD_MESSAGE_POLLS
            | DIRECT_MESSAGE_POLLS;

    /** The intents an app must enable in the Developer Portal before it may ask for them (else 4014). */
    public static final int PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;

    /** Guild dispatch name → the intent it needs (Discord's list); names not here are always sent. */
    private static final Map<String, Integer> REQUIRED = Map.ofEntries(
            Map.entry("GUILD_CREATE", GUILDS), Map.entry("GUILD_UPDATE", GUILDS), Map.entry("GUILD_DELETE", GUILDS),
            Map.entry("GUILD_ROLE_CREATE", GUILDS), Map.entry("GUILD_ROLE_UPDATE", GUILDS), Map.entry("GUILD_ROLE_DELETE", GUILDS),
            Map.entry("CHANNEL_CREATE", GUILDS), Map.entry("CHANNEL_UPDATE", GUILDS), Map.entry("CHANNEL_DELETE", GUILDS),
            Map.entry("CHANNEL_PINS_UPDATE", GUILDS), Map.entry("THREAD_CREATE", GUILDS), Map.entry("THREAD_UPDATE", GUILDS),
            Map.entry("THREAD_DELETE", GUILDS), Map.entry("THREAD_LIST_SYNC", GUILDS), Map.entry("THREAD_MEMBER_UPDATE", GUILDS),
            Map.entry("THREAD_MEMBERS_UPDATE", GUILDS), Map.entry("STAGE_INSTANCE_CREATE", GUILDS),
            Map.entry("STAGE_INSTANCE_UPDATE", GUILDS), Map.entry("STAGE_INSTANCE_DELETE", GUILDS),
            Map.entry("GUILD_MEMBER_ADD", GUILD_MEMBERS), Map.entry("GUILD_MEMBER_UPDATE", GUILD_MEMBERS),
            Map.entry("GUILD_MEMBER_REMOVE", GUILD_MEMBERS),
            Map.entry("GUILD_AUDIT_LOG_ENTRY_CREATE", GUILD_MODERATION), Map.entry("GUILD_BAN_ADD", GUILD_MODERATION),
            Map.entry("GUILD_BAN_REMOVE", GUILD_MODERATION),
            Map.entry("GUILD_EMOJIS_UPDATE", GUILD_EXPRESSIONS), Map.entry("GUILD_STICKERS_UPDATE", GUILD_EXPRESSIONS),
            Map.entry("GUILD_INTEGRATIONS_UPDATE", GUILD_INTEGRATIONS), Map.entry("INTEGRATION_CREATE", GUILD_INTEGRATIONS),
            Map.entry("INTEGRATION_UPDATE", GUILD_INTEGRATIONS), Map.entry("INTEGRATION_DELETE", GUILD_INTEGRATIONS),
            Map.entry("WEBHOOKS_UPDATE", GUILD_WEBHOOKS),
            Map.entry("INVITE_CREATE", GUILD_INVITES), Map.entry("INVITE_DELETE", GUILD_INVITES),
            Map.entry("VOICE_STATE_UPDATE", GUILD_VOICE_STATES), Map.entry("VOICE_CHANNEL_EFFECT_SEND", GUILD_VOICE_STATES),
            Map.entry("PRESENCE_UPDATE", GUILD_PRESENCES),
            Map.entry("MESSAGE_CREATE", GUILD_MESSAGES), Map.entry("MESSAGE_UPDATE", GUILD_MESSAGES),
            Map.entry("MESSAGE_DELETE", GUILD_MESSAGES), Map.entry("MESSAGE_DELETE_BULK", GUILD_MESSAGES),
            Map.entry("MESSAGE_REACTION_ADD", GUILD_MESSAGE_REACTIONS), Map.entry("MESSAGE_REACTION_REMOVE", GUILD_MESSAGE_REACTIONS),
            Map.entry("MESSAGE_REACTION_REMOVE_ALL", GUILD_MESSAGE_REACTIONS),
            Map.entry("MESSAGE_REACTION_REMOVE_EMOJI", GUILD_MESSAGE_REACTIONS),
            Map.entry("TYPING_START", GUILD_MESSAGE_TYPING),
            Map.entry("GUILD_SCHEDULED_EVENT_CREATE", GUILD_SCHEDULED_EVENTS), Map.entry("GUILD_SCHEDULED_EVENT_UPDATE", GUILD_SCHEDULED_EVENTS),
            Map.entry("GUILD_SCHEDULED_EVENT_DELETE", GUILD_SCHEDULED_EVENTS),
            Map.entry("GUILD_SCHEDULED_EVENT_USER_ADD", GUILD_SCHEDULED_EVENTS),
            Map.entry("GUILD_SCHEDULED_EVENT_USER_REMOVE", GUILD_SCHEDULED_EVENTS),
            Map.entry("AUTO_MODERATION_RULE_CREATE", AUTO_MODERATION_CONFIGURATION),
            Map.entry("AUTO_MODERATION_RULE_UPDATE", AUTO_MODERATION_CONFIGURATION),
            Map.entry("AUTO_MODERATION_RULE_DELETE", AUTO_MODERATION_CONFIGURATION),
            Map.entry("AUTO_MODERATION_ACTION_EXECUTION", AUTO_MODERATION_EXECUTION),
            Map.entry("MESSAGE_POLL_VOTE_ADD", GUILD_MESSAGE_POLLS), Map.entry("MESSAGE_POLL_VOTE_REMOVE", GUILD_MESSAGE_POLLS));

    private GatewayIntents() {
    }

    /** The intent a guild dispatch of this name needs, or 0 when it is always sent (INTERACTION_CREATE, …). */
    public static int required(String type) {
        return REQUIRED.getOrDefault(type, 0);
    }
}
