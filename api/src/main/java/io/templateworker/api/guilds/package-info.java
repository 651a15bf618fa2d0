/**
 * What the API needs to know about guilds, as a port {@code app} fills from the Discord guild state: whether the bot
 * is in a guild, and who may manage it.
 */
package io.templateworker.api.guilds;
