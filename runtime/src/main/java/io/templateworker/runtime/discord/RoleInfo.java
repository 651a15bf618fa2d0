package io.templateworker.runtime.discord;

/** A role: its place in the hierarchy and its guild-level permissions. */
public record RoleInfo(long id, String name, int position, long permissions, boolean managed) {
}
