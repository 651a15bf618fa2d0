package io.templateworker.runtime.discord;

/**
 * A channel permission overwrite.
 *
 * @param type 0 for a role, 1 for a member
 */
public record PermissionOverwrite(long id, int type, long allow, long deny) {
}
