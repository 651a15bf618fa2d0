package io.templateworker.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.runtime.store.ObjectInfo;
import io.templateworker.runtime.store.ObjectStore;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ObjectStore} adapter must do; subclasses provide the store. */
abstract class ObjectStoreContract {
  static final TenantId GUILD = TenantId.guild(111);
  static final TenantId OTHER_GUILD = TenantId.guild(222);
  static final TenantId USER = TenantId.user(111);

  abstract ObjectStore store();

  /** Fetches what {@link ObjectStore#url} returned, as a client of the URL would. */
  abstract byte[] fetch(String url) throws Exception;

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void upload_exists_download_replace_delete() {
    ObjectStore s = store();
    assertThat(s.exists(GUILD, "docs/a.txt")).isFalse();
    s.upload(GUILD, "docs/a.txt", bytes("one"));
    assertThat(s.exists(GUILD, "docs/a.txt")).isTrue();
    assertThat(s.download(GUILD, "docs/a.txt", 1000)).isEqualTo(bytes("one"));
    s.upload(GUILD, "docs/a.txt", bytes("two!"));
    assertThat(s.download(GUILD, "docs/a.txt", 1000)).isEqualTo(bytes("two!"));
    s.delete(GUILD, "docs/a.txt");
    assertThat(s.exists(GUILD, "docs/a.txt")).isFalse();
    s.delete(GUILD, "docs/a.txt"); // deleting twice is fine
  }

  @Test
  void tenants_do_not_see_each_other() {
    ObjectStore s = store();
    s.upload(GUILD, "x", bytes("guild"));
    s.upload(USER, "x", bytes("user"));
    assertThat(s.exists(OTHER_GUILD, "x")).isFalse();
    assertThat(s.download(USER, "x", 100)).isEqualTo(bytes("user"));
    assertThat(s.list(OTHER_GUILD, null)).isEmpty();
  }

  @Test
  void list_gives_paths_relative_to_the_tenant_filtered_by_prefix() {
    ObjectStore s = store();
    s.upload(GUILD, "img/b.png", bytes("bb"));
    s.upload(GUILD, "img/a.png", bytes("a"));
    s.upload(GUILD, "img/sub/c.png", bytes("ccc"));
    s.upload(GUILD, "notes.txt", bytes("n"));
    List<ObjectInfo> all = s.list(GUILD, null);
    assertThat(all).extracting(ObjectInfo::path).containsExactly("img/a.png", "img/b.png", "img/sub/c.png", "notes.txt");
    assertThat(all.get(2).size()).isEqualTo(3);
    assertThat(all.get(2).lastModified()).isNotNull();
    assertThat(s.list(GUILD, "img/")).extracting(ObjectInfo::path).containsExactly("img/a.png", "img/b.png", "img/sub/c.png");
    assertThat(s.list(GUILD, "img/s")).extracting(ObjectInfo::path).containsExactly("img/sub/c.png");
    // what list returns can be passed straight back
    assertThat(s.download(GUILD, all.get(0).path(), 10)).isEqualTo(bytes("a"));
  }

  @Test
  void path_traversal_and_malformed_paths_are_refused_everywhere() {
    ObjectStore s = store();
    for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", ".", "..", "", "a/", "a\\..\\b")) {
      assertThatThrownBy(() -> s.upload(GUILD, bad, bytes("x"))).as(bad).isInstanceOf(StoreException.class)
          .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.INVALID_ARGUMENT);
      assertThatThrownBy(() -> s.download(GUILD, bad, 10)).as(bad).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> s.exists(GUILD, bad)).as(bad).isInstanceOf(StoreException.class);
      assertThatThrownBy(() -> s.delete(GUILD, bad)).as(bad).isInstanceOf(StoreException.class);
    }
    assertThatThrownBy(() -> s.list(GUILD, "../")).isInstanceOf(StoreException.class);
  }

  @Test
  void path_length_is_checked_on_every_operation() {
    ObjectStore s = store();
    String tooLong = "a".repeat(2049);
    assertThatThrownBy(() -> s.upload(GUILD, tooLong, bytes("x"))).hasMessageContaining("2049 bytes; the limit is 2048");
    assertThatThrownBy(() -> s.exists(GUILD, tooLong)).hasMessageContaining("the limit is 2048");
    assertThatThrownBy(() -> s.download(GUILD, tooLong, 10)).hasMessageContaining("the limit is 2048");
    assertThatThrownBy(() -> s.url(GUILD, tooLong, Duration.ofMinutes(1))).hasMessageContaining("the limit is 2048");
    assertThatThrownBy(() -> s.delete(GUILD, tooLong)).hasMessageContaining("the limit is 2048");
    assertThatThrownBy(() -> s.list(GUILD, tooLong)).hasMessageContaining("the limit is 2048");
  }

  @Test
  void downloads_are_capped_and_missing_objects_say_so() {
    ObjectStore s = store();
    s.upload(GUILD, "big", new byte[100]);
    assertThatThrownBy(() -> s.download(GUILD, "big", 99)).isInstanceOf(StoreException.class)
        .hasMessageContaining("is 100 bytes; downloads are limited to 99")
        .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.LIMIT_EXCEEDED);
    assertThat(s.download(GUILD, "big", 100)).hasSize(100);
    assertThatThrownBy(() -> s.download(GUILD, "missing", 10)).isInstanceOf(StoreException.class)
        .extracting(e -> ((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND);
  }

  @Test
  void a_url_serves_the_object() throws Exception {
    ObjectStore s = store();
    s.upload(GUILD, "share/hello.txt", bytes("hello"));
    String url = s.url(GUILD, "share/hello.txt", Duration.ofMinutes(5));
    assertThat(fetch(url)).isEqualTo(bytes("hello"));
  }
}
