package io.templateworker.runtime.account;

import java.time.Duration;
import java.util.Locale;

/** What kind of session a token belongs to (UPSTREAM.md §4.3), stored lowercase in {@code web_api_tokens.type}. */
public enum SessionType {
    /** A dashboard login through OAuth2: one hour. */
    LOGIN("login", Duration.ofHours(1)),
    /** The app's PKCE login ({@code antiraid://oauth-callback}): 14 days. */
    APP_LOGIN("app_login", Duration.ofDays(14)),
    /** A token the user created for scripts, with an expiry of their choosing. */
    API("api", null);

    private final String wireName;
    private final Duration lifetime;

    SessionType(String wireName, Duration lifetime) {
        this.wireName = wireName;
        this.lifetime = lifetime;
    }

    /** {@code login}, {@code app_login} or {@code api}: the stored and JSON form. */
    public String wireName() {
        return wireName;
    }

    /** The fixed lifetime, or null for {@link #API} (chosen by the caller). */
    public Duration lifetime() {
        return lifetime;
    }

    /** The type named {@code name} ({@code login}, {@code app_login}, {@code api}), or null if none. */
    public static SessionType parse(String name) {
        if (name == null) {
            return null;
        }
        for (SessionType t : values()) {
            if (t.wireName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        return null;
    }
}
