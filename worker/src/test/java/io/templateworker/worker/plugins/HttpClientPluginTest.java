package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.http.HttpClientPlugin;
import io.templateworker.runtime.plugin.http.HttpRules;
import io.templateworker.runtime.plugin.http.SafeDns;
import io.templateworker.worker.luau.PluginHarness;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ctx.HTTPClient} against a real HTTP server on 127.0.0.1. The server is reachable only through a
 * test-only rule: the name {@code web.test} resolves to it and its loopback address is allowed; every other
 * rule (URL checks, domain lists, address filter, no redirects, deadline, body cap) is the production one.
 */
class HttpClientPluginTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  HttpServer server;
  final CountDownLatch release = new CountDownLatch(1);
  PluginHarness vm;
  HttpClientPlugin plugin;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hello", ex -> {
      byte[] body = ("hello " + ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Test") + " "
          + ex.getRequestHeaders().getFirst("User-Agent")).getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("X-Reply", "yes");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/echo-json", ex -> {
      byte[] in = ex.getRequestBody().readAllBytes();
      byte[] body = ("{\"got\": \"" + new String(in, StandardCharsets.UTF_8) + "\", \"list\": [1, 2], \"none\": null}")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(201, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.createContext("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "http://web.test/hello");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/big", ex -> {
      ex.sendResponseHeaders(200, 0); // chunked: no declared length, the cap applies while reading
      ex.getResponseBody().write(new byte[64 * 1024 + 1]);
      ex.close();
    });
    server.createContext("/slow", ex -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    int port = server.getAddress().getPort();
    SafeDns dns = new SafeDns(host -> {
      if (host.equals("web.test") || host.equals("rebind.test")) {
        return new InetAddress[] {LOOPBACK};
      }
      throw new UnknownHostException(host);
    }, a -> SafeDns.isPublic(a) || a.equals(LOOPBACK));
    plugin = new HttpClientPlugin(new HttpRules(Set.of("web.test"), HttpRules.DEFAULT_BLOCKED), dns, h -> port, 64 * 1024);
    vm = new PluginHarness(Plugins.builder().add(plugin).build(), new TenantServices(null, null, null));
  }

  @AfterEach
  void stop() {
    release.countDown();
    vm.close();
    plugin.close();
    server.stop(0);
  }



  @Test
  void get_with_headers_and_read_text_once() {
    assertThat(vm.json("""
        local http = ctx.HTTPClient
        local req = http.new_request("GET", "http://web.test/hello?x=1")
        local h = http.new_headers()
        h:set("X-Test", "42")
        req.headers = h
        local res = req:send()
        local status, reply, host, path = res.status, res.headers:get("x-reply"), res.url.host, res.url.path
        local text = res:text()
        local ok, err = pcall(function() return res:text() end)
        return {status, reply, host, path, text, ok, string.find(err, "Response has been exhausted", 1, true) ~= nil,
          req.method, tostring(req.url), req.version}
        """)).isEqualTo("{\"List\":[{\"Integer\":200},{\"Text\":\"yes\"},{\"Text\":\"web.test\"},{\"Text\":\"/hello\"},"
        + "{\"Text\":\"hello GET 42 Anti-Raid/Khronos (v7.0.0)\"},{\"Boolean\":false},{\"Boolean\":true},{\"Text\":\"GET\"},"
        + "{\"Text\":\"http://web.test/hello?x=1\"},{\"Text\":\"HTTP/1.1\"}]}");
  }

  @Test
  void post_a_body_and_read_json() {
    assertThat(vm.json("""
        local req = ctx.HTTPClient.new_request("post", "http://web.test/echo-json")
        req.body_bytes = "abc"
        local res = req:send()
        local status = res.status
        local body = res:json()
        return {status, body.got, #body.list, body.none == nil, buffer.tostring(req.body_bytes)}
        """)).isEqualTo("{\"List\":[{\"Integer\":201},{\"Text\":\"abc\"},{\"Integer\":2},{\"Boolean\":true},{\"Text\":\"abc\"}]}");
  }

  @Test
  void redirects_are_not_followed() {
    assertThat(vm.json("""
        local res = ctx.HTTPClient.new_request("GET", "http://web.test/redirect"):send()
        return {res.status, res.headers:get("location")}
        """)).isEqualTo("{\"List\":[{\"Integer\":302},{\"Text\":\"http://web.test/hello\"}]}");
  }

  @Test
  void the_timeout_bounds_the_exchange() {
    assertThat(vm.error("local r = ctx.HTTPClient.new_request('GET', 'http://web.test/slow') r.timeout = 0.3 r:send()"))
        .contains("request to http://web.test/slow did not finish within 300 ms");
    assertThat(vm.error("local r = ctx.HTTPClient.new_request('GET', 'http://web.test/slow') r.timeout = 6"))
        .contains("timeout must be more than 0 and at most 5 seconds");
  }

  @Test
  void response_bodies_are_capped() {
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'http://web.test/big'):send()"))
        .contains("response body of http://web.test/big is larger than 65536 bytes, the limit");
  }

  @Test
  void url_rules_are_checked_before_a_token_is_taken() {
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'http://127.0.0.1/hello'):send()")).contains("Localhost requests are not allowed");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'http://web.test:8080/hello'):send()")).contains("Ports are not allowed in URLs");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'http://example.com/'):send()")).contains("Domain example.com is not whitelisted");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'ftp://web.test/x'):send()")).contains("Only HTTP/HTTPS requests are allowed");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'file:///etc/passwd'):send()")).contains("URL does not have a valid host");
    // the refused URLs took no token: three sends pass, the fourth is limited (3 / 5 s, bucket send)
    vm.run("local ctx = ... for i = 1, 3 do ctx.HTTPClient.new_request('GET', 'http://web.test/hello'):send() end");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'http://web.test/hello'):send()"))
        .contains("Global ratelimit hit for bucket 'send'");
    vm.advance(Duration.ofMillis(1700));
    vm.run("local ctx = ... ctx.HTTPClient.new_request('GET', 'http://web.test/hello'):send()");
  }

  @Test
  void a_name_that_resolves_to_a_local_address_is_refused_at_connect_time() {
    // Production address rule: only public addresses. rebind.test passes every URL rule and then resolves to 127.0.0.1.
    int port = server.getAddress().getPort();
    SafeDns production = new SafeDns(host -> new InetAddress[] {LOOPBACK}, SafeDns::isPublic);
    try (HttpClientPlugin strict = new HttpClientPlugin(new HttpRules(Set.of(), Set.of()), production, h -> port, 1024);
        PluginHarness other = new PluginHarness(Plugins.builder().add(strict).build(), new TenantServices(null, null, null))) {
      try {
        other.run("local ctx = ... ctx.HTTPClient.new_request('GET', 'http://rebind.test/hello'):send()");
        throw new AssertionError("the request reached the loopback server");
      } catch (LuauError e) {
        assertThat(e.getMessage()).contains("request to http://rebind.test/hello failed")
            .contains("rebind.test resolves only to addresses templates may not reach");
      }
    }
  }

  @Test
  void bad_arguments() {
    assertThat(vm.error("ctx.HTTPClient.new_request(nil, 'http://web.test/')")).contains("(method) to 'HTTPClient.new_request' (an HTTP method name");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', nil)")).contains("(url) to 'HTTPClient.new_request' (string expected, got nil)");
    assertThat(vm.error("ctx.HTTPClient.new_request('GET', 'not a url')")).contains("invalid URL");
    assertThat(vm.error("ctx.HTTPClient.new_headers():set('Host', 'evil')")).contains("the host header is set by the client itself");
    assertThat(vm.error("ctx.HTTPClient.new_headers():set('X-A', 'a\\r\\nB: c')")).contains("may not contain line breaks");
    assertThat(vm.error("local r = ctx.HTTPClient.new_request('GET', 'http://web.test/') r.version = 'HTTP/9'")).contains("Invalid version");
    assertThat(vm.json("local u = ctx.HTTPClient.new_url('https://cdn.discordapp.com/a/b.png?size=64') return {u.scheme, u.host, u.path, u.query, u.port == nil}"))
        .isEqualTo("{\"List\":[{\"Text\":\"https\"},{\"Text\":\"cdn.discordapp.com\"},{\"Text\":\"/a/b.png\"},{\"Text\":\"size=64\"},{\"Boolean\":true}]}");
  }
}
