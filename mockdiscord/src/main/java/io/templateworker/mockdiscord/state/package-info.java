/**
 * The mock's in-memory Discord: users, guilds, roles, channels, members, messages and the rest, Discord's permission
 * algorithm, and the events a gateway can subscribe to ({@link io.templateworker.mockdiscord.state.MockEventListener}).
 * Every read and write happens under the {@link io.templateworker.mockdiscord.state.MockState} lock.
 */
package io.templateworker.mockdiscord.state;
