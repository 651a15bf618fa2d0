package io.templateworker.storage.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A PostgreSQL connection target split into the parts JDBC wants. Accepts the libpq form upstream's
 * {@code meta.postgres_url} uses ({@code postgres://user:password@host:port/database?params}) as well as a
 * plain {@code jdbc:postgresql://} URL, whose credentials then come from its own parameters.
 *
 * @param jdbcUrl  the JDBC URL without user and password
 * @param user     the user name, or null to let the driver decide
 * @param password the password, or null
 */
public record PostgresUrl(String jdbcUrl, String user, String password) {

    /** Parses {@code url}; throws {@link IllegalArgumentException} naming what is wrong with it. */
    public static PostgresUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("the PostgreSQL URL is empty");
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(url, null, null);
        }
        if (!url.startsWith("postgres://") && !url.startsWith("postgresql://")) {
            throw new IllegalArgumentException("expected a URL starting with postgres://, postgresql:// or jdbc:postgresql://, got '"
                    + redact(url) + "'");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid PostgreSQL URL: '" + redact(url) + "' (" + e.getReason() + ")", e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the PostgreSQL URL '" + redact(url) + "' has no host");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        jdbc.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        return new PostgresUrl(jdbc.toString(), user, password);
    }

    /** The URL with any password replaced by {@code ***}, safe to log or show in an error. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(://[^:/@]*:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    private static String decode(String part) {
        return URLDecoder.decode(part, StandardCharsets.UTF_8);
    }
}
