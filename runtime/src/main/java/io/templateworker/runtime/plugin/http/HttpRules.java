package io.templateworker.runtime.plugin.http;

import io.templateworker.runtime.plugin.PluginError;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Upstream's URL rules (UPSTREAM.md §8.8), checked before a request is sent and before a rate-limit token is
 * taken (upstream took the token first, gap 25): http or https only; the host must be a domain name (raw IP
 * addresses and localhost names are refused); no explicit port and no user info. Then the domain lists: with a
 * non-empty allow list only the listed domains (or their subdomains) pass; the block list refuses a domain and
 * its subdomains.
 *
 * @param allowed allow list; empty = every domain not blocked
 * @param blocked block list
 */
public record HttpRules(Set<String> allowed, Set<String> blocked) {
  /** Upstream's default allow list. */
  public static final Set<String> DEFAULT_ALLOWED = Set.of("cdn.discordapp.com");
  /** Upstream's block list. */
  public static final Set<String> DEFAULT_BLOCKED = Set.of("discord.com", "discord.gg", "imgur.com", "tenor.com", "tenor.co",
      "giphy.com", "giphy.co", "reddit.com", "redd.it", "twitter.com", "t.co", "youtube.com", "youtu.be",
      "youtube-nocookie.com", "youtube-nocookie.be", "twitch.tv", "twitchcdn.net", "twitchstatic.com", "twitchvideo.net",
      "twitchusercontent.com", "roblox.com");
  public static final HttpRules DEFAULTS = new HttpRules(DEFAULT_ALLOWED, DEFAULT_BLOCKED);
  private static final Set<String> LOCALHOSTS = Set.of("localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0");

  public HttpRules {
    allowed = lower(allowed);
    blocked = lower(blocked);
  }

  private static Set<String> lower(Set<String> s) {
    return Set.copyOf(s.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
  }

  /** Throws a {@link PluginError} saying which rule {@code url} breaks. */
  public void check(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new PluginError("URL does not have a valid host");
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (LOCALHOSTS.contains(h) || h.equals("localhost.") || h.endsWith(".localhost")) {
      throw new PluginError("Localhost requests are not allowed");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new PluginError("Only HTTP/HTTPS requests are allowed");
    }
    if (url.getPort() != -1) {
      throw new PluginError("Ports are not allowed in URLs");
    }
    if (url.getRawUserInfo() != null) {
      throw new PluginError("User names and passwords are not allowed in URLs");
    }
    if (!isDomain(h)) {
      throw new PluginError("URL does not have a valid domain");
    }
    String domain = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    if (!allowed.isEmpty() && !matches(domain, allowed)) {
      throw new PluginError("Domain " + domain + " is not whitelisted");
    }
    for (String part = domain; part != null; part = parent(part)) {
      if (blocked.contains(part)) {
        throw new PluginError("Domain " + part + " is blacklisted");
      }
    }
  }

  private static boolean matches(String domain, Set<String> list) {
    for (String part = domain; part != null; part = parent(part)) {
      if (list.contains(part)) {
        return true;
      }
    }
    return false;
  }

  private static String parent(String domain) {
    int dot = domain.indexOf('.');
    return dot < 0 ? null : domain.substring(dot + 1);
  }

  /** A DNS name: labels of letters, digits and hyphens; not an IPv4 or IPv6 literal. */
  static boolean isDomain(String host) {
    if (host.startsWith("[") || host.indexOf(':') >= 0) {
      return false;
    }
    if (host.matches("[0-9.]+")) {
      return false; // IPv4 literal (or something that would be read as one)
    }
    return host.matches("([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.?");
  }
}
