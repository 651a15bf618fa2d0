package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.captcha.ImageCaptchaPlugin;
import io.templateworker.runtime.plugin.globalkv.GlobalKvPlugin;
import io.templateworker.runtime.plugin.http.HttpClientPlugin;
import io.templateworker.runtime.plugin.http.HttpRules;
import io.templateworker.runtime.plugin.http.SafeDns;
import io.templateworker.runtime.plugin.kv.KvPlugin;
import io.templateworker.runtime.plugin.objectstorage.ObjectStoragePlugin;
import io.templateworker.runtime.plugin.runtime.RuntimeInfo;
import io.templateworker.runtime.plugin.runtime.RuntimePlugin;
import io.templateworker.storage.globalkv.PostgresGlobalKvStore;
import io.templateworker.storage.kv.PostgresKvStore;
import io.templateworker.storage.objects.LocalObjectStore;
import io.templateworker.storage.state.PostgresTenantStateStore;
import io.templateworker.storage.testing.TestPostgres;
import io.templateworker.worker.luau.PluginHarness;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every method of every plugin on {@code ctx}, one row each: a call without the capability is refused and the error
 * names the capability it needs; the second call in a VM whose limiter for the plugin holds one token is refused with
 * the method's bucket; a bad argument is refused with an error that names the argument. Behaviour has its own test
 * per plugin (KvPluginTest, GlobalKvPluginTest, ...); the function-by-function table is in
 * {@code /work/coord/notes/runtime.md}. Plugins upstream gives no capability check (HTTPClient, ImageCaptcha) or no
 * rate limit (ImageCaptcha, KV {@code list_scopes}) have {@code null} in that column.
 */
class PluginMethodMatrixTest {
  /** {@code P} in a call stands for the plugin (or the object the row names) under the context being tested. */
  record Row(String plugin, String method, String call, String cap, String bucket, String badCall, String badError) {
    @Override
    public String toString() {
      return plugin + ":" + method;
    }
  }

  static final String ID = "'00000000-0000-0000-0000-000000000000'";
  static final String DT = "require('@antiraid/datetime')";

  static final List<Row> ROWS = List.of(
      // ctx.KV (§8.5): capabilities §8.3, 500 / 100 ms, bucket = action (getrecord takes "get")
      new Row("KV", "list_scopes", "P:list_scopes()", "kv.meta:list_scopes", null, null, null),
      new Row("KV", "find", "P:find('%', {'s'})", "kv:find:*", "find",
          "P:find(1, {'s'})", "invalid argument #1 (query) to 'KV:find' (string expected, got number)"),
      new Row("KV", "exists", "P:exists('k', {'s'})", "kv:exists:*", "exists",
          "P:exists('k', 's')", "invalid argument #2 (scopes) to 'KV:exists' (table of strings expected, got string)"),
      new Row("KV", "keys", "P:keys({'s'})", "kv.meta:keys", "keys",
          "P:keys({true})", "invalid argument #1 (scopes) to 'KV:keys' (item 1 is boolean, expected a string)"),
      new Row("KV", "get", "P:get('k', {'s'})", "kv:get:*", "get",
          "P:get(nil, {'s'})", "invalid argument #1 (key) to 'KV:get' (string expected, got nil)"),
      new Row("KV", "getbyid", "P:getbyid(" + ID + ")", "kv.meta:id_ops", "getbyid",
          "P:getbyid(7)", "invalid argument #1 (id) to 'KV:getbyid' (string expected, got number)"),
      new Row("KV", "getrecord", "P:getrecord('k', {'s'})", "kv:get:*", "get",
          "P:getrecord({}, {'s'})", "invalid argument #1 (key) to 'KV:getrecord' (string expected, got table)"),
      new Row("KV", "getrecordbyid", "P:getrecordbyid(" + ID + ")", "kv.meta:id_ops", "getrecordbyid",
          "P:getrecordbyid()", "invalid argument #1 (id) to 'KV:getrecordbyid' (string expected, got no value)"),
      new Row("KV", "set", "P:set('k', 1, {'s'})", "kv:set:*", "set",
          "P:set('k', 1, {'s'}, 5)", "invalid argument #4 (expires_at) to 'KV:set' (DateTime expected, got number)"),
      new Row("KV", "setbyid", "P:setbyid(" + ID + ", 1)", "kv.meta:id_ops", "setbyid",
          "P:setbyid(" + ID + ", 1, nil, 'yes')", "invalid argument #4 (resume) to 'KV:setbyid' (boolean expected, got string)"),
      new Row("KV", "setexpiry", "P:setexpiry('k', {'s'}, nil)", "kv:setexpiry:*", "setexpiry",
          "P:setexpiry('k', {'s'}, 'soon')", "invalid argument #3 (expires_at) to 'KV:setexpiry' (DateTime expected, got string)"),
      new Row("KV", "setexpirybyid", "P:setexpirybyid(" + ID + ", nil)", "kv.meta:id_ops", "setexpirybyid",
          "P:setexpirybyid(" + ID + ", {})", "invalid argument #2 (expires_at) to 'KV:setexpirybyid' (DateTime expected, got table)"),
      new Row("KV", "delete", "P:delete('k', {'s'})", "kv:delete:*", "delete",
          "P:delete('k')", "Unscoped operations are not allowed"),
      new Row("KV", "deletebyid", "P:deletebyid(" + ID + ")", "kv.meta:id_ops", "deletebyid",
          "P:deletebyid('')", "record id must be a non-empty string"),

      // ctx.GlobalKV (§8.6): globalkv:access:{scope}, 30 / s, bucket = action
      new Row("GlobalKV", "find", "P:find('%', 'shop')", "globalkv:access:shop", "find",
          "P:find('%')", "invalid argument #2 (scope) to 'GlobalKV:find' (string expected, got no value)"),
      new Row("GlobalKV", "get", "P:get('k', 1, 'shop')", "globalkv:access:shop", "get",
          "P:get('k', 'one', 'shop')", "invalid argument #2 (version) to 'GlobalKV:get' (number expected, got string)"),
      new Row("GlobalKV", "create", "P:create({key = 'k', version = 1, short = 's', public_metadata = {}, scope = 'shop',"
          + " public_data = true, data = 1})", "globalkv:access:shop", "create",
          "P:create({key = 'k', version = 1, scope = 'shop'})",
          "invalid argument #1 (entry.short) to 'GlobalKV:create' (string expected, got nil)"),
      new Row("GlobalKV", "delete", "P:delete('k', 1, 'shop')", "globalkv:access:shop", "delete",
          "P:delete('k', 1, nil)", "invalid argument #3 (scope) to 'GlobalKV:delete' (string expected, got nil)"),

      // ctx.ObjectStorage (§8.7): objectstorage:{method}, bucket = method
      new Row("ObjectStorage", "list_files", "P:list_files()", "objectstorage:list_files", "list_files",
          "P:list_files(5)", "invalid argument #1 (prefix) to 'ObjectStorage:list_files' (string expected, got number)"),
      new Row("ObjectStorage", "file_exists", "P:file_exists('a.txt')", "objectstorage:file_exists", "file_exists",
          "P:file_exists('../x')", "invalid argument #1 (path) to 'ObjectStorage:file_exists'"),
      new Row("ObjectStorage", "download_file", "P:download_file('a.txt')", "objectstorage:download_file", "download_file",
          "P:download_file('a.txt', 'all')", "invalid argument #2 (opts) to 'ObjectStorage:download_file' (table expected, got string)"),
      new Row("ObjectStorage", "get_file_url", "P:get_file_url('a.txt', " + DT + ".timedelta_minutes(5))",
          "objectstorage:get_file_url", "get_file_url",
          "P:get_file_url('a.txt', 'soon')", "invalid argument #2 (expiry) to 'ObjectStorage:get_file_url' (TimeDelta or number of seconds expected, got string)"),
      new Row("ObjectStorage", "upload_file", "P:upload_file('a.txt', 'hi')", "objectstorage:upload_file", "upload_file",
          "P:upload_file('a.txt', 5)", "invalid argument #2 (data) to 'ObjectStorage:upload_file'"),
      new Row("ObjectStorage", "delete_file", "P:delete_file('a.txt')", "objectstorage:delete_file", "delete_file",
          "P:delete_file(nil)", "invalid argument #1 (path) to 'ObjectStorage:delete_file' (string expected, got nil)"),

      // ctx.Runtime (§8.10): runtime:* or runtime:{method}, 10 / s, bucket = method
      new Row("Runtime", "getexposedvfs", "P:getexposedvfs()", "runtime:getexposedvfs", "getexposedvfs", null, null),
      new Row("Runtime", "gettenantstate", "P:gettenantstate()", "runtime:gettenantstate", "gettenantstate", null, null),
      new Row("Runtime", "settenantstate", "P:settenantstate({events = {}, data = {}})", "runtime:settenantstate",
          "settenantstate", "P:settenantstate('x')", "invalid argument #1 (state) to 'Runtime:settenantstate' (table expected, got string)"),
      new Row("Runtime", "stats", "P:stats()", "runtime:stats", "stats", null, null),
      new Row("Runtime", "links", "P:links()", "runtime:links", "links", null, null),
      new Row("Runtime", "eventlist", "P:eventlist()", "runtime:eventlist", "eventlist", null, null),

      // ctx.HTTPClient (§8.8): no capability check upstream; 3 / 5 s on "send"
      new Row("HTTPClient", "new_request", "P.new_request('GET', 'http://web.test/')", null, null,
          "P.new_request('GET', 5)", "invalid argument #2 (url) to 'HTTPClient.new_request' (string expected, got number)"),
      new Row("HTTPClient", "new_headers", "P.new_headers()", null, null, null, null),
      new Row("HTTPClient", "new_url", "P.new_url('https://web.test/a?b=c')", null, null,
          "P.new_url({})", "invalid argument #1 (url) to 'HTTPClient.new_url' (string expected, got table)"),
      new Row("HTTPClient", "Request:send", "P.new_request('GET', 'http://web.test/'):send()", null, "send", null, null),
      new Row("HTTPClient", "Headers:get", "P.new_headers():get('x-a')", null, null,
          "P.new_headers():get(1)", "invalid argument #1 (key) to 'Headers:get' (string expected, got number)"),
      new Row("HTTPClient", "Headers:set", "P.new_headers():set('x-a', 'b')", null, null,
          "P.new_headers():set('x-a', nil)", "invalid argument #2 (value) to 'Headers:set' (string expected, got nil)"),
      new Row("HTTPClient", "Headers:remove", "P.new_headers():remove('x-a')", null, null,
          "P.new_headers():remove()", "invalid argument #1 (key) to 'Headers:remove' (string expected, got no value)"),

      // ctx.ImageCaptcha (§8.9): no capability check, no rate limit upstream
      new Row("ImageCaptcha", "Create", "P.Create({char_count = 4, filters = {}, viewbox_size = {120, 50}})", null, null,
          "P.Create(4)", "invalid argument #1 (config) to 'ImageCaptcha.Create' (table expected, got number)"));

  static DataSource db;
  static Path files;

  @BeforeAll
  static void database() throws Exception {
    db = TestPostgres.freshDatabase();
    files = Files.createTempDirectory("plugin-matrix");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    try (var walk = Files.walk(files)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A tenant VM with every plugin but Discord (its own matrix is the discord-plugin helper's). */
  static PluginHarness vm() {
    SafeDns dns = new SafeDns(host -> {
      throw new UnknownHostException(host); // no request in this test reaches the network
    }, a -> false);
    Plugins plugins = Plugins.builder()
        .add(new KvPlugin())
        .add(new GlobalKvPlugin())
        .add(new ObjectStoragePlugin(new LocalObjectStore(files), 512 * 1024, 1024 * 1024))
        .add(new RuntimePlugin(RuntimeInfo.minimal(Instant.now())))
        .add(new HttpClientPlugin(new HttpRules(Set.of("web.test"), HttpRules.DEFAULT_BLOCKED), dns, h -> 80, 1024))
        .add(new ImageCaptchaPlugin())
        .build();
    TenantServices services = new TenantServices(new PostgresTenantStateStore(db), null,
        new PostgresKvStore(db, InstantSource.system(), (t, id, key, scopes, at) -> { }),
        new PostgresGlobalKvStore(db, "https://shop.test/purchase/"));
    return new PluginHarness(plugins, services);
  }

  static String error(PluginHarness vm, String code) {
    try {
      vm.run("local ctx = ...\n" + code);
    } catch (LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error from: " + code);
  }

  static String call(String call, String ctx, String plugin) {
    return call.replaceAll("\\bP(?=[:.])", ctx + "." + plugin);
  }

  @TestFactory
  Stream<DynamicTest> a_call_without_the_capability_is_refused_naming_it() {
    return ROWS.stream().filter(r -> r.cap() != null).map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
      try (PluginHarness vm = vm()) {
        String child = "local c = ctx:with({capabilities = {'kv:get:other', 'runtime:nothing'}})\n";
        assertThat(error(vm, child + call(r.call(), "c", r.plugin())))
            .contains("not allowed in this template context").contains(r.cap());
        // ... and the capability alone lets it through (an error after the check is about something else).
        String allowed = "local c = ctx:with({capabilities = {'" + r.cap() + "'}})\n";
        vm.run("local ctx = ...\n" + allowed + "local ok, err = pcall(function() return " + call(r.call(), "c", r.plugin())
            + " end)\nassert(ok or not string.find(tostring(err), 'not allowed in this template context', 1, true), err)");
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> the_second_call_with_a_one_token_limiter_is_refused_for_its_bucket() {
    return ROWS.stream().filter(r -> r.bucket() != null).map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
      try (PluginHarness vm = vm()) {
        vm.limit(r.plugin(), RateLimits.Spec.global(RateLimits.Quota.of(1, Duration.ofHours(1))));
        String once = "pcall(function() return " + call(r.call(), "ctx", r.plugin()) + " end)\n";
        vm.run("local ctx = ...\n" + once);
        assertThat(error(vm, call(r.call(), "ctx", r.plugin())))
            .contains("ratelimit hit for bucket '" + r.bucket() + "'");
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> a_bad_argument_is_refused_naming_it() {
    return ROWS.stream().filter(r -> r.badCall() != null).map(r -> DynamicTest.dynamicTest(r.toString(), () -> {
      try (PluginHarness vm = vm()) {
        assertThat(error(vm, call(r.badCall(), "ctx", r.plugin()))).contains(r.badError());
      }
    }));
  }
}
