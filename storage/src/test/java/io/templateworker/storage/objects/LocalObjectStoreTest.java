package io.templateworker.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.ObjectStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {
  @TempDir
  Path dir;

  @Override
  ObjectStore store() {
    return new LocalObjectStore(dir);
  }

  @Override
  byte[] fetch(String url) throws Exception {
    return Files.readAllBytes(Path.of(URI.create(url)));
  }

  @Test
  void layout_is_base_bucket_tenant_path() throws Exception {
    store().upload(GUILD, "a/b.txt", bytes("x"));
    store().upload(USER, "c", bytes("y"));
    assertThat(dir.resolve("antiraid.guilds/111/a/b.txt")).hasContent("x");
    assertThat(dir.resolve("antiraid.users/111/c")).hasContent("y");
    try (var files = Files.list(dir.resolve("antiraid.guilds/111/a"))) {
      assertThat(files).hasSize(1); // no temporary upload files left behind
    }
  }
}
