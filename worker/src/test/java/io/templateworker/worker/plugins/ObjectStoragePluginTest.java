package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.objectstorage.ObjectStoragePlugin;
import io.templateworker.storage.objects.LocalObjectStore;
import io.templateworker.worker.luau.PluginHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ctx.ObjectStorage} on real files (the S3 adapter has its own contract tests against s3proxy). */
class ObjectStoragePluginTest {
  @TempDir
  Path dir;
  PluginHarness vm;

  @BeforeEach
  void open() {
    vm = new PluginHarness(Plugins.builder().add(new ObjectStoragePlugin(new LocalObjectStore(dir), 512 * 1024, 1024 * 1024)).build(),
        new TenantServices(null, null, null));
  }

  @AfterEach
  void close() {
    vm.close();
  }



  @Test
  void upload_list_download_url_delete() throws Exception {
    assertThat(vm.json("""
        local b = ctx.ObjectStorage
        b:upload_file("img/a.txt", buffer.fromstring("hello"))
        b:upload_file("img/b.txt", "from a string")
        b:upload_file("other.bin", buffer.create(3))
        local all = b:list_files()
        local img = b:list_files("img/")
        local data = b:download_file("img/a.txt")
        local part = b:download_file("img/b.txt", {range = {read_start = 5, read_end = 6}})
        local url = b:get_file_url("img/a.txt", 60)
        local existed = b:file_exists("img/a.txt")
        b:delete_file("img/a.txt")
        return {b.bucket_name, #all, img[1].key, img[1].size, img[1].last_modified ~= nil, buffer.tostring(data:tobuffer()), buffer.tostring(part:tobuffer()),
          string.sub(url, 1, 7), existed, b:file_exists("img/a.txt"), typeof(b)}
        """)).isEqualTo("{\"List\":[{\"Text\":\"1234567890123\"},{\"Integer\":3},{\"Text\":\"img/a.txt\"},{\"Integer\":5},"
        + "{\"Boolean\":true},{\"Text\":\"hello\"},{\"Text\":\"a\"},{\"Text\":\"file://\"},{\"Boolean\":true},{\"Boolean\":false},"
        + "{\"Text\":\"Bucket\"}]}");
    assertThat(dir.resolve("antiraid.guilds/1234567890123/img/b.txt")).hasContent("from a string");
  }

  @Test
  void uploads_are_capped_at_512_kib_and_downloads_at_the_cap() throws Exception {
    assertThat(vm.error("ctx.ObjectStorage:upload_file('big', buffer.create(512 * 1024 + 1))"))
        .contains("invalid argument #2 (data) to 'ObjectStorage:upload_file' (is 524289 bytes; uploads are limited to 524288)");
    vm.run("local ctx = ... ctx.ObjectStorage:upload_file('max', buffer.create(512 * 1024))");
    Path huge = dir.resolve("antiraid.guilds/1234567890123/huge");
    Files.write(huge, new byte[1024 * 1024 + 1]);
    assertThat(vm.error("ctx.ObjectStorage:download_file('huge')")).contains("is 1048577 bytes; downloads are limited to 1048576");
  }

  @Test
  void path_traversal_and_long_paths_are_refused_before_any_token() {
    assertThat(vm.error("ctx.ObjectStorage:download_file('../../etc/passwd')"))
        .contains("invalid argument #1 (path) to 'ObjectStorage:download_file' (object path \"../../etc/passwd\" has an empty, '.' or '..' segment");
    assertThat(vm.error("ctx.ObjectStorage:file_exists(string.rep('a', 2049))")).contains("2049 bytes; the limit is 2048");
    assertThat(vm.error("ctx.ObjectStorage:delete_file('a//b')")).contains("path traversal is not allowed");
    assertThat(vm.error("ctx.ObjectStorage:list_files('../')")).contains("invalid argument #1 (prefix) to 'ObjectStorage:list_files' (object path");
    // none of those took a token: 75 calls still pass
    vm.run("local ctx = ... for i = 1, 75 do ctx.ObjectStorage:file_exists('x') end");
    assertThat(vm.error("ctx.ObjectStorage:file_exists('x')")).contains("Global ratelimit hit for bucket 'file_exists'");
    vm.advance(Duration.ofSeconds(1));
    vm.run("local ctx = ... ctx.ObjectStorage:file_exists('x')");
  }

  @Test
  void each_method_needs_its_capability() {
    assertThat(vm.json("""
        local function can(caps, f)
          local c = ctx:with({capabilities = caps})
          return (pcall(f, c.ObjectStorage))
        end
        return {
          can({"objectstorage:upload_file"}, function(b) b:upload_file("x", "1") end),
          can({"objectstorage:upload_file"}, function(b) return b:download_file("x") end),
          can({"objectstorage:download_file"}, function(b) return b:download_file("x") end),
          can({"objectstorage:list_files"}, function(b) return b:list_files() end),
          can({"objectstorage:*"}, function(b) return b:list_files() end),
        }
        """)).isEqualTo("{\"List\":[{\"Boolean\":true},{\"Boolean\":false},{\"Boolean\":true},{\"Boolean\":true},{\"Boolean\":false}]}");
    assertThat(vm.error("local c = ctx:with({capabilities = {}}) c.ObjectStorage:delete_file('x')"))
        .contains("Objectstorage action `delete_file` not allowed in this template context (needs objectstorage:delete_file)");
  }

  @Test
  void bad_arguments_name_the_argument() {
    assertThat(vm.error("ctx.ObjectStorage:upload_file('x', 5)")).contains("(data) to 'ObjectStorage:upload_file' (buffer, string or Blob expected, got number)");
    assertThat(vm.error("ctx.ObjectStorage:get_file_url('x', 'soon')")).contains("(expiry) to 'ObjectStorage:get_file_url' (TimeDelta or number of seconds expected, got string)");
    assertThat(vm.error("ctx.ObjectStorage:get_file_url('x', 30 * 24 * 3600)")).contains("must be between 1 second and 7 days");
    assertThat(vm.error("ctx.ObjectStorage:download_file('missing')")).contains("no object at \"missing\"");
    assertThat(vm.error("ctx.ObjectStorage:file_exists()")).contains("(path) to 'ObjectStorage:file_exists' (string expected, got no value)");
  }
}
