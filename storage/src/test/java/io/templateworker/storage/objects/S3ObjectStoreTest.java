package io.templateworker.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.store.ObjectStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 adapter against s3proxy running in this JVM on a free loopback port. */
class S3ObjectStoreTest extends ObjectStoreContract {
  @RegisterExtension
  static final S3ProxyExtension S3 = S3ProxyExtension.builder().withCredentials("access", "secret").build();

  S3ObjectStore store;

  @BeforeEach
  void open() {
    URI uri = S3.getUri();
    store = new S3ObjectStore(new S3ObjectStore.Settings(uri.getHost() + ":" + uri.getPort(), false, null, true,
        S3.getAccessKey(), S3.getSecretKey()));
    store.createBucketsIfMissing();
    store.createBucketsIfMissing(); // a second start finds them there
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Override
  byte[] fetch(String url) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
      return r.body();
    }
  }

  @Test
  void docker_cdn_endpoints_rewrite_the_presigned_host() {
    assertThat(S3ObjectStore.rewriteHost("https://s3.internal:9000/antiraid.guilds/1/a.png?X-Amz-Signature=abc", "cdn.local:8080"))
        .isEqualTo("http://cdn.local:8080/antiraid.guilds/1/a.png?X-Amz-Signature=abc");
    URI uri = S3.getUri();
    try (S3ObjectStore viaCdn = new S3ObjectStore(new S3ObjectStore.Settings(uri.getHost() + ":" + uri.getPort(), false,
        "$DOCKER:cdn.local:8080", true, "access", "secret"))) {
      assertThat(viaCdn.url(GUILD, "a.png", Duration.ofMinutes(1))).startsWith("http://cdn.local:8080/antiraid.guilds/111/a.png?");
    }
  }

  @Test
  void a_cdn_endpoint_signs_for_that_host() {
    URI uri = S3.getUri();
    try (S3ObjectStore viaCdn = new S3ObjectStore(new S3ObjectStore.Settings(uri.getHost() + ":" + uri.getPort(), false,
        "cdn.example:443", true, "access", "secret"))) {
      assertThat(viaCdn.url(GUILD, "a.png", Duration.ofMinutes(1))).startsWith("https://cdn.example/antiraid.guilds/111/a.png?")
          .contains("X-Amz-Signature=");
    }
  }
}
