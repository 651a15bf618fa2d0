/** Guild state read from Discord's REST API with a short Caffeine cache ({@link io.templateworker.discord.state.RestGuildState}). */
package io.templateworker.discord.state;
