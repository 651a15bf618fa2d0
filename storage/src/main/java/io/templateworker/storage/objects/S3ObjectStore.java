package io.templateworker.storage.objects;

import io.templateworker.runtime.store.ObjectInfo;
import io.templateworker.runtime.store.ObjectPaths;
import io.templateworker.runtime.store.ObjectStore;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Objects on an S3-compatible server (upstream's {@code s3-like}, UPSTREAM.md §10.1): region us-east-1,
 * path-style addressing, endpoint {@code http(s)://{endpoint}}. Presigned URLs come from a second signer for
 * {@code cdn_endpoint} when one is configured; the form {@code $DOCKER:host:port} presigns with the main
 * endpoint and then rewrites the host to {@code host:port} over http (a CDN container in front of a private
 * S3 server). Transport: the JDK's URL connection client, with checksums only where S3 requires them (so
 * S3-likes that do not implement the newer checksum headers work).
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
  private static final String DOCKER = "$DOCKER:";

  /** Connection settings ({@code object_storage.*}); endpoints are {@code host:port}. */
  public record Settings(String endpoint, boolean secure, String cdnEndpoint, boolean cdnSecure, String accessKey,
                         String secretKey) {
  }

  private final Settings settings;
  private final S3Client client;
  private final S3Presigner presigner;
  private final String dockerCdnHost;

  public S3ObjectStore(Settings settings) {
    this.settings = settings;
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    URI endpoint = URI.create((settings.secure() ? "https://" : "http://") + settings.endpoint());
    this.client = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build())
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
    String cdn = settings.cdnEndpoint();
    URI presignEndpoint = endpoint;
    if (cdn != null && cdn.startsWith(DOCKER)) {
      this.dockerCdnHost = cdn.substring(DOCKER.length());
    } else {
      this.dockerCdnHost = null;
      if (cdn != null && !cdn.isEmpty()) {
        presignEndpoint = URI.create((settings.cdnSecure() ? "https://" : "http://") + cdn);
      }
    }
    this.presigner = S3Presigner.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(presignEndpoint)
        .credentialsProvider(credentials)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  /** Creates the two buckets if they do not exist yet (a fresh S3 server); failures are reported, not fatal. */
  public void createBucketsIfMissing() {
    for (String bucket : List.of(ObjectPaths.GUILD_BUCKET, ObjectPaths.USER_BUCKET)) {
      try {
        client.createBucket(b -> b.bucket(bucket));
      } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
        // what we want
      } catch (SdkException e) {
        throw failure("create bucket " + bucket, e);
      }
    }
  }

  @Override
  public List<ObjectInfo> list(TenantId tenant, String prefix) {
    String keyPrefix = ObjectPaths.keyPrefix(tenant, prefix);
    int strip = tenant.idString().length() + 1;
    List<ObjectInfo> out = new ArrayList<>();
    try {
      ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(ObjectPaths.bucket(tenant)).prefix(keyPrefix).build();
      for (S3Object o : client.listObjectsV2Paginator(request).contents()) {
        out.add(new ObjectInfo(o.key().substring(strip), o.lastModified(), o.size() == null ? 0 : o.size(), unquote(o.eTag())));
      }
    } catch (SdkException e) {
      throw failure("list objects", e);
    }
    return out;
  }

  @Override
  public boolean exists(TenantId tenant, String path) {
    String key = ObjectPaths.key(tenant, path);
    try {
      client.headObject(b -> b.bucket(ObjectPaths.bucket(tenant)).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("check \"" + path + "\"", e);
    } catch (SdkException e) {
      throw failure("check \"" + path + "\"", e);
    }
  }

  @Override
  public byte[] download(TenantId tenant, String path, long maxBytes) {
    String key = ObjectPaths.key(tenant, path);
    try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(ObjectPaths.bucket(tenant)).key(key))) {
      Long size = in.response().contentLength();
      if (size != null && size > maxBytes) {
        in.abort();
        throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "object \"" + path + "\" is " + size
            + " bytes; downloads are limited to " + maxBytes);
      }
      byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (data.length > maxBytes) {
        in.abort();
        throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "object \"" + path + "\" is larger than "
            + maxBytes + " bytes, the download limit");
      }
      return data;
    } catch (NoSuchKeyException e) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object at \"" + path + "\"");
    } catch (SdkException e) {
      throw failure("download \"" + path + "\"", e);
    } catch (IOException e) {
      throw new StoreException(StoreException.Kind.UNAVAILABLE, "object storage download of \"" + path + "\" failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String url(TenantId tenant, String path, Duration expiry) {
    String key = ObjectPaths.key(tenant, path);
    try {
      String url = presigner.presignGetObject(p -> p.signatureDuration(expiry)
          .getObjectRequest(g -> g.bucket(ObjectPaths.bucket(tenant)).key(key))).url().toString();
      return dockerCdnHost == null ? url : rewriteHost(url, dockerCdnHost);
    } catch (SdkException | IllegalArgumentException e) {
      throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "cannot presign a URL for \"" + path + "\": " + e.getMessage(), e);
    }
  }

  /** The presigned URL with another host:port, over http ({@code $DOCKER:host:port}). */
  static String rewriteHost(String url, String hostPort) {
    try {
      URI u = new URI(url);
      return "http://" + hostPort + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("presigned URL does not parse: " + url, e);
    }
  }

  @Override
  public void upload(TenantId tenant, String path, byte[] data) {
    String key = ObjectPaths.key(tenant, path);
    try {
      client.putObject(b -> b.bucket(ObjectPaths.bucket(tenant)).key(key), RequestBody.fromBytes(data));
    } catch (SdkException e) {
      throw failure("upload \"" + path + "\"", e);
    }
  }

  @Override
  public void delete(TenantId tenant, String path) {
    String key = ObjectPaths.key(tenant, path);
    try {
      client.deleteObject(b -> b.bucket(ObjectPaths.bucket(tenant)).key(key));
    } catch (SdkException e) {
      throw failure("delete \"" + path + "\"", e);
    }
  }

  private static String unquote(String etag) {
    return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
  }

  private StoreException failure(String what, SdkException e) {
    return new StoreException(StoreException.Kind.UNAVAILABLE, "object storage at " + settings.endpoint() + " could not " + what
        + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    presigner.close();
    client.close();
  }
}
