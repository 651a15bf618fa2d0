package io.templateworker.runtime.plugin.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpRulesTest {
  static void refused(HttpRules rules, String url, String message) {
    assertThatThrownBy(() -> rules.check(URI.create(url))).as(url).hasMessage(message);
  }

  @Test
  void upstream_url_rules() {
    HttpRules open = new HttpRules(Set.of(), HttpRules.DEFAULT_BLOCKED);
    refused(open, "http://localhost/x", "Localhost requests are not allowed");
    refused(open, "http://127.0.0.1/x", "Localhost requests are not allowed");
    refused(open, "http://[::1]/x", "Localhost requests are not allowed");
    refused(open, "http://a.localhost/x", "Localhost requests are not allowed");
    refused(open, "ftp://example.com/x", "Only HTTP/HTTPS requests are allowed");
    refused(open, "https://example.com:8443/x", "Ports are not allowed in URLs");
    refused(open, "https://93.184.216.34/x", "URL does not have a valid domain");
    refused(open, "https://[2606:4700::1111]/x", "URL does not have a valid domain");
    refused(open, "https://user:pw@example.com/x", "User names and passwords are not allowed in URLs");
    refused(open, "https://media.discord.com/x", "Domain discord.com is blacklisted");
    refused(open, "https://YOUTU.BE/x", "Domain youtu.be is blacklisted");
    assertThatCode(() -> open.check(URI.create("https://example.com/path?q=1"))).doesNotThrowAnyException();
  }

  @Test
  void the_default_allow_list_admits_only_discord_cdn() {
    refused(HttpRules.DEFAULTS, "https://example.com/", "Domain example.com is not whitelisted");
    assertThatCode(() -> HttpRules.DEFAULTS.check(URI.create("https://cdn.discordapp.com/attachments/1/2/a.png")))
        .doesNotThrowAnyException();
  }
}
