package io.templateworker.app.config;

/** A bind or connect address written {@code host:port}. */
public record HostPort(String host, int port) {

    /**
     * Parses {@code host:port} (IPv6 hosts in brackets).
     *
     * @param key the config key, for the error message
     */
    public static HostPort parse(String key, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(key + ": '" + value + "' is not host:port (expected e.g. 127.0.0.1:60000)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": '" + value + "' has a port that is not a number (expected host:port, e.g. 127.0.0.1:60000)");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(key + ": port " + port + " in '" + value + "' is out of range (expected 0-65535)");
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
