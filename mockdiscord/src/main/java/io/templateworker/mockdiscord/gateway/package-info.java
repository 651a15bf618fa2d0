/**
 * The gateway side of the mock Discord: a WebSocket endpoint that speaks Discord's gateway protocol v10 (hello,
 * identify, READY, {@code GUILD_CREATE} per guild, heartbeats, resume with replay, invalid sessions, reconnect requests,
 * sharding, intents including MESSAGE_CONTENT, zlib-stream transport compression) and dispatches what happens in the
 * mock's state. Admin routes under {@code /__mock/gateway} drop connections and change its behaviour for tests.
 */
package io.templateworker.mockdiscord.gateway;
