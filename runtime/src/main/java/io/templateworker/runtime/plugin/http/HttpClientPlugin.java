package io.templateworker.runtime.plugin.http;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Args;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.values.HostArgs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * {@code ctx.HTTPClient} (UPSTREAM.md §8.8): {@code new_request(method, url)}, {@code new_headers()},
 * {@code new_url(url)}; {@code Request:send()} → Response with {@code text()}, {@code json()}, {@code bytes()}
 * ({@code blob()} too), each readable once ("Response has been exhausted"). No capability check (as upstream);
 * rate limit 3 / 5 s per tenant VM (bucket {@code send}), taken after the URL passed {@link HttpRules}. User
 * agent {@value #USER_AGENT}; redirects are not followed; a request's timeout (default and maximum 5 s) bounds
 * the whole exchange, body included; response bodies are capped. Addresses are checked at connect time by
 * {@link SafeDns}.
 */
public final class HttpClientPlugin implements Plugin, AutoCloseable {
  public static final String NAME = "HTTPClient";
  public static final String USER_AGENT = "Anti-Raid/Khronos (v7.0.0)";
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(5);
  public static final long DEFAULT_MAX_BODY_BYTES = 4L << 20;
  public static final RateLimits.Spec LIMITS = RateLimits.Spec.global(RateLimits.Quota.of(3, Duration.ofSeconds(5)));
  private static final Set<String> FORBIDDEN_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
      "upgrade", "te", "trailer", "keep-alive", "proxy-connection");

  private final HttpRules rules;
  private final long maxBodyBytes;
  private final CloseableHttpClient client;
  private final UserdataType<Req> requestType;
  private final LuauTable module;

  /**
   * @param ports the port to connect to for a scheme (URLs carry none): 80/443 in production, a local test
   *              server's port in tests
   */
  public HttpClientPlugin(HttpRules rules, SafeDns dns, SchemePortResolver ports, long maxBodyBytes) {
    this.rules = rules;
    this.maxBodyBytes = maxBodyBytes;
    this.client = HttpClients.custom()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(dns)
            .setSchemePortResolver(ports)
            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.of(MAX_TIMEOUT))
                .setSocketTimeout(Timeout.of(MAX_TIMEOUT)).build())
            .setMaxConnTotal(200).setMaxConnPerRoute(20)
            .build())
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .setUserAgent(USER_AGENT)
        .build();
    this.requestType = UserdataType.builder("Request", Req.class)
        .field("method", r -> LuauString.of(r.method), (r, v) -> r.method = method(v))
        .field("url", r -> URL_TYPE.wrap(r.url), (r, v) -> r.url = url(v))
        .field("headers", r -> HEADERS_TYPE.wrap(new Hdrs(new LinkedHashMap<>(r.headers.map))),
            (r, v) -> r.headers = new Hdrs(new LinkedHashMap<>(HEADERS_TYPE.check(new Object[] {v}, 0, "headers").map)))
        .field("body_bytes", r -> r.body == null ? null : new LuauBuffer(r.body.clone()), (r, v) -> r.body = body(v))
        .field("timeout", r -> KhronosLuau.toLuau(new KhronosValue.Interval(r.timeout.toSeconds(), r.timeout.toNanosPart())),
            (r, v) -> r.timeout = timeout(v))
        .field("version", r -> LuauString.of(r.version), (r, v) -> r.version = version(v))
        .method("send", this::send)
        .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Request")})
        .build();
    LuauTable m = new LuauTable(0, 2);
    m.rawset(LuauString.of("new_headers"), LuauFunction.host("new_headers",
        (L, a) -> new Object[] {HEADERS_TYPE.wrap(new Hdrs(new LinkedHashMap<>()))}));
    m.rawset(LuauString.of("new_url"), LuauFunction.host("new_url",
        (L, a) -> new Object[] {URL_TYPE.wrap(parse(HostArgs.text(a, 0, "HTTPClient.new_url", "url")))}));
    m.freeze();
    this.module = m;
  }

  /** Upstream's rules, the system resolver with public addresses only, ports 80 and 443. */
  public static HttpClientPlugin internet(HttpRules rules) {
    return new HttpClientPlugin(rules, SafeDns.internet(), host -> "https".equalsIgnoreCase(host.getSchemeName()) ? 443 : 80,
        DEFAULT_MAX_BODY_BYTES);
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The plugin table is the same for every context (no capability check upstream); the limiter is the tenant
   * VM's, found through the calling context when a request is sent.
   */
  @Override
  public Object create(PluginContext context) {
    LuauTable t = new LuauTable(0, 3);
    for (String f : new String[] {"new_headers", "new_url"}) {
      t.rawset(LuauString.of(f), module.rawget(LuauString.of(f)));
    }
    // Requests made through this table are sent under this context's tenant VM limiter.
    t.rawset(LuauString.of("new_request"), LuauFunction.host("new_request", (L, a) -> {
      String method = method(HostArgs.arg(a, 0) == null ? null : a[0]);
      URI url = parse(HostArgs.text(a, 1, "HTTPClient.new_request", "url"));
      Req r = new Req(method, url);
      r.ctx = context;
      return new Object[] {requestType.wrap(r)};
    }));
    t.freeze();
    return t;
  }

  // ------------------------------------------------------------------ Request

  /** A request being built; {@code ctx} is the context whose limiter and VM send it. */
  static final class Req {
    String method;
    URI url;
    Hdrs headers = new Hdrs(new LinkedHashMap<>());
    byte[] body;
    Duration timeout = MAX_TIMEOUT;
    String version = "HTTP/1.1";
    PluginContext ctx;

    Req(String method, URI url) {
      this.method = method;
      this.url = url;
    }
  }

  private Object[] send(LuauThread L, Req r, Object[] a) {
    if (r.ctx == null) {
      throw LuauError.runtime("this request was not made by ctx.HTTPClient.new_request");
    }
    try {
      rules.check(r.url);
    } catch (PluginError e) {
      throw LuauError.runtime(e.getMessage());
    }
    r.ctx.limits(NAME, LIMITS).check("send");
    HttpUriRequestBase request = new HttpUriRequestBase(r.method, r.url);
    for (Map.Entry<String, String> h : r.headers.map.entrySet()) {
      request.addHeader(h.getKey(), h.getValue());
    }
    if (r.body != null) {
      request.setEntity(new ByteArrayEntity(r.body, null));
    }
    request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(r.timeout)).setConnectionRequestTimeout(Timeout.of(r.timeout))
        .setRedirectsEnabled(false).build());
    long cap = Math.min(maxBodyBytes, r.ctx.host().memoryLimit());
    Duration timeout = r.timeout;
    URI target = r.url;
    Resp resp = r.ctx.await(L, "HTTPClient send", () -> execute(request, target, timeout, cap));
    L.allocate(resp.body.length);
    return new Object[] {RESPONSE_TYPE.wrap(resp)};
  }

  /** Runs the exchange on the calling (virtual) thread; cancelled when the timeout passes, body included. */
  private Resp execute(HttpUriRequestBase request, URI url, Duration timeout, long cap) {
    String target = url.toString();
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    deadline.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS).thenRun(request::cancel);
    try {
      return client.execute(request, response -> read(response, url, cap));
    } catch (PluginError e) {
      throw e;
    } catch (IOException e) {
      if (request.isCancelled()) {
        throw new PluginError("request to " + target + " did not finish within " + timeout.toMillis() + " ms");
      }
      throw new PluginError("request to " + target + " failed: " + describe(e));
    } finally {
      deadline.cancel(false);
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static Resp read(ClassicHttpResponse response, URI url, long cap) throws IOException {
    Hdrs headers = new Hdrs(new LinkedHashMap<>());
    for (Header h : response.getHeaders()) {
      headers.map.merge(h.getName().toLowerCase(Locale.ROOT), h.getValue(), (x, y) -> x + ", " + y);
    }
    HttpEntity entity = response.getEntity();
    long declared = entity == null ? -1 : entity.getContentLength();
    if (declared > cap) {
      throw new PluginError("response body of " + url + " is " + declared + " bytes; the limit is " + cap);
    }
    byte[] body = new byte[0];
    if (entity != null) {
      try (InputStream in = entity.getContent()) {
        body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
      }
      if (body.length > cap) {
        throw new PluginError("response body of " + url + " is larger than " + cap + " bytes, the limit");
      }
    }
    return new Resp(url, response.getCode(), declared, headers, body);
  }

  // ------------------------------------------------------------------ Response

  static final class Resp {
    final URI url;
    final int status;
    final long contentLength;
    final Hdrs headers;
    byte[] body;

    Resp(URI url, int status, long contentLength, Hdrs headers, byte[] body) {
      this.url = url;
      this.status = status;
      this.contentLength = contentLength;
      this.headers = headers;
      this.body = body;
    }

    byte[] take() {
      byte[] b = body;
      if (b == null) {
        throw LuauError.runtime("Response has been exhausted");
      }
      body = null;
      return b;
    }

    Resp live() {
      if (body == null) {
        throw LuauError.runtime("Response has been exhausted");
      }
      return this;
    }
  }

  private static final UserdataType<Resp> RESPONSE_TYPE = UserdataType.builder("Response", Resp.class)
      .field("url", r -> URL_TYPE_REF().wrap(r.live().url))
      .field("status", r -> (double) r.live().status)
      .field("content_length", r -> r.live().contentLength < 0 ? null : (Object) (double) r.contentLength)
      .field("headers", r -> HEADERS_TYPE_REF().wrap(new Hdrs(new LinkedHashMap<>(r.live().headers.map))))
      .method("text", (L, r, a) -> new Object[] {LuauString.wrap(r.take())})
      .method("bytes", (L, r, a) -> new Object[] {new LuauBuffer(r.take())})
      .method("blob", (L, r, a) -> new Object[] {io.templateworker.runtime.values.Blob.wrap(r.take())})
      .method("json", (L, r, a) -> new Object[] {io.templateworker.runtime.bridge.JsonLuau.fromJson(L, r.take())})
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Response")})
      .build();

  // ------------------------------------------------------------------ Headers and Url

  /** Header names are case-insensitive: kept in lower case, one value each. */
  static final class Hdrs {
    final LinkedHashMap<String, String> map;

    Hdrs(LinkedHashMap<String, String> map) {
      this.map = map;
    }
  }

  private static final UserdataType<Hdrs> HEADERS_TYPE = UserdataType.builder("Headers", Hdrs.class)
      .method("get", (L, h, a) -> new Object[] {Tables.string(h.map.get(headerName(a, "get")))})
      .method("set", (L, h, a) -> {
        String name = headerName(a, "set");
        if (FORBIDDEN_HEADERS.contains(name)) {
          throw HostArgs.bad(0, "Headers:set", "key", "the " + name + " header is set by the client itself");
        }
        String value = HostArgs.text(a, 1, "Headers:set", "value");
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          throw HostArgs.bad(1, "Headers:set", "value", "header values may not contain line breaks");
        }
        h.map.put(name, value);
        return LuauFunction.NONE;
      })
      .method("remove", (L, h, a) -> {
        h.map.remove(headerName(a, "remove"));
        return LuauFunction.NONE;
      })
      .method("headers_str", (L, h, a) -> {
        LuauTable t = new LuauTable(0, h.map.size());
        h.map.forEach((k, v) -> t.rawset(LuauString.of(k), LuauString.of(v)));
        return new Object[] {t};
      })
      .method("headers_bytes", (L, h, a) -> {
        LuauTable t = new LuauTable(0, h.map.size());
        h.map.forEach((k, v) -> {
          byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
          LuauTable list = new LuauTable(bytes.length, 0);
          for (int i = 0; i < bytes.length; i++) {
            list.rawset(i + 1, (Object) (double) (bytes[i] & 0xff));
          }
          t.rawset(LuauString.of(k), list);
        });
        return new Object[] {t};
      })
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Headers")})
      .build();

  private static UserdataType<Hdrs> HEADERS_TYPE_REF() {
    return HEADERS_TYPE;
  }

  private static String headerName(Object[] a, String fn) {
    String name = HostArgs.text(a, 0, "Headers:" + fn, "key").toLowerCase(Locale.ROOT);
    if (!name.matches("[!#$%&'*+.^_`|~0-9a-z-]+")) {
      throw HostArgs.bad(0, "Headers:" + fn, "key", "\"" + name + "\" is not a valid header name");
    }
    return name;
  }

  private static final UserdataType<URI> URL_TYPE = UserdataType.builder("Url", URI.class)
      .field("host", u -> Tables.string(u.getHost()))
      .field("port", u -> u.getPort() < 0 ? null : (Object) (double) u.getPort())
      .field("scheme", u -> Tables.string(u.getScheme()))
      .field("path", u -> LuauString.of(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath()))
      .field("query", u -> Tables.string(u.getRawQuery()))
      .field("fragment", u -> Tables.string(u.getRawFragment()))
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(String.valueOf(((LuauUserdata) a[0]).payload()))})
      .build();

  private static UserdataType<URI> URL_TYPE_REF() {
    return URL_TYPE;
  }

  // ------------------------------------------------------------------ argument readers

  private static URI parse(String text) {
    try {
      URI u = new URI(text);
      if (!u.isAbsolute() || u.isOpaque()) {
        throw LuauError.runtime("invalid URL \"" + text + "\": an absolute http(s) URL is expected");
      }
      return u;
    } catch (URISyntaxException e) {
      throw LuauError.runtime("invalid URL \"" + text + "\": " + e.getReason());
    }
  }

  private static URI url(Object v) {
    if (v instanceof LuauString s) {
      return parse(s.toString());
    }
    return URL_TYPE.check(new Object[] {v}, 0, "url");
  }

  private static String method(Object v) {
    if (!(v instanceof LuauString s) || !s.toString().matches("[A-Za-z]{1,16}")) {
      throw HostArgs.bad(0, "HTTPClient.new_request", "method", "an HTTP method name such as \"GET\" expected");
    }
    return s.toString().toUpperCase(Locale.ROOT);
  }

  private static byte[] body(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof LuauTable t) {
      int n = t.length();
      byte[] out = new byte[n];
      for (int i = 1; i <= n; i++) {
        if (!(t.rawget(i) instanceof Double d) || d < 0 || d > 255 || d != Math.rint(d)) {
          throw LuauError.runtime("body_bytes: item " + i + " is not a byte (0-255)");
        }
        out[i - 1] = (byte) (int) (double) d;
      }
      return out;
    }
    return HostArgs.bytes(new Object[] {v}, 0, "body_bytes", "body_bytes").clone();
  }

  private static Duration timeout(Object v) {
    Duration d = Args.timeDelta(new Object[] {v}, 0, "timeout", "timeout", true);
    if (d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0) {
      throw LuauError.runtime("timeout must be more than 0 and at most 5 seconds, got " + d.toMillis() + " ms");
    }
    return d;
  }

  private static String version(Object v) {
    if (v instanceof LuauString s && Set.of("HTTP/0.9", "HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "HTTP/3.0").contains(s.toString())) {
      return s.toString();
    }
    throw LuauError.runtime("Invalid version");
  }

  @Override
  public void close() {
    client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
  }
}
