package io.templateworker.runtime.account;

/**
 * What a valid token resolves to: its session and the state of the user who owns it.
 *
 * @param userState the user's {@code users.state}: {@code normal}, {@code banned}, ...
 */
public record SessionLookup(Session session, String userState) {

    /** The user state that refuses every authenticated request (403 ApiBanned). */
    public static final String BANNED = "banned";

    public boolean banned() {
        return BANNED.equals(userState);
    }
}
