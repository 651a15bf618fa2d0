package io.templateworker.runtime.plugin.objectstorage;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.plugin.Args;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.store.ObjectInfo;
import io.templateworker.runtime.store.ObjectPaths;
import io.templateworker.runtime.store.ObjectStore;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.values.HostArgs;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ctx.ObjectStorage} (UPSTREAM.md §8.7): the tenant's bucket. Each method needs
 * {@code objectstorage:{method}}; then paths are checked (before any rate-limit token is taken), then a token of
 * the tenant VM's 75 / 1 s limiter (bucket = method). Uploads are capped at {@code limits.object_max_bytes}
 * (512 KiB); downloads at the download cap and the VM's memory budget, checked before the object is read
 * (upstream had no download cap, gap 25).
 */
public final class ObjectStoragePlugin implements Plugin {
  public static final String NAME = "ObjectStorage";
  public static final RateLimits.Spec LIMITS = RateLimits.Spec.global(RateLimits.Quota.of(75, Duration.ofSeconds(1)));
  /** Largest download unless configured otherwise: objects may be put there by other means than upload_file. */
  public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 8L << 20;
  /** Longest presigned URL lifetime (S3's own limit for SigV4). */
  public static final Duration MAX_URL_EXPIRY = Duration.ofDays(7);

  private static final UserdataType<Bucket> TYPE = UserdataType.builder("Bucket", Bucket.class)
      .field("bucket_name", b -> LuauString.of(b.ctx.tenant().idString()))
      .method("list_files", ObjectStoragePlugin::listFiles)
      .method("file_exists", ObjectStoragePlugin::fileExists)
      .method("download_file", ObjectStoragePlugin::downloadFile)
      .method("get_file_url", ObjectStoragePlugin::getFileUrl)
      .method("upload_file", ObjectStoragePlugin::uploadFile)
      .method("delete_file", ObjectStoragePlugin::deleteFile)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Bucket")})
      .build();

  private final ObjectStore store;
  private final long maxUploadBytes;
  private final long maxDownloadBytes;

  /**
   * @param maxUploadBytes   largest upload ({@code limits.object_max_bytes})
   * @param maxDownloadBytes largest download (further bounded by the VM's memory budget)
   */
  public ObjectStoragePlugin(ObjectStore store, long maxUploadBytes, long maxDownloadBytes) {
    this.store = store;
    this.maxUploadBytes = maxUploadBytes;
    this.maxDownloadBytes = maxDownloadBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    return TYPE.wrap(new Bucket(context, this, context.limits(NAME, LIMITS)));
  }

  private record Bucket(PluginContext ctx, ObjectStoragePlugin plugin, RateLimits limits) {
    void check(String action) {
      if (!ctx.hasCap("objectstorage:" + action)) {
        throw LuauError.runtime("Objectstorage action `" + action + "` not allowed in this template context (needs objectstorage:"
            + action + ")");
      }
    }

    ObjectStore store() {
      return plugin.store;
    }
  }

  /** The path argument, checked (length, traversal) before any token is taken. */
  private static String path(Object[] a, int i, String fn) {
    String path = HostArgs.text(a, i, fn, "path");
    try {
      ObjectPaths.checkPath(path);
    } catch (StoreException e) {
      throw HostArgs.bad(i, fn, "path", e.getMessage());
    }
    return path;
  }

  private static Object[] listFiles(LuauThread L, Bucket b, Object[] a) {
    String prefix = Args.optString(a, 0, "ObjectStorage:list_files", "prefix");
    b.check("list_files");
    if (prefix != null && !prefix.isEmpty()) {
      try {
        ObjectPaths.keyPrefix(b.ctx.tenant(), prefix);
      } catch (StoreException e) {
        throw HostArgs.bad(0, "ObjectStorage:list_files", "prefix", e.getMessage());
      }
    }
    b.limits.check("list_files");
    List<ObjectInfo> files = b.ctx.await(L, "ObjectStorage list_files", () -> b.store().list(b.ctx.tenant(), prefix));
    LuauTable out = new LuauTable(files.size(), 0);
    for (int i = 0; i < files.size(); i++) {
      ObjectInfo f = files.get(i);
      out.rawset(i + 1, Tables.frozen("key", LuauString.of(f.path()), "last_modified", Tables.dateTime(f.lastModified()),
          "size", (double) f.size(), "etag", Tables.string(f.etag())));
    }
    return new Object[] {out};
  }

  private static Object[] fileExists(LuauThread L, Bucket b, Object[] a) {
    String path = path(a, 0, "ObjectStorage:file_exists");
    b.check("file_exists");
    b.limits.check("file_exists");
    return new Object[] {b.ctx.await(L, "ObjectStorage file_exists", () -> b.store().exists(b.ctx.tenant(), path))};
  }

  private static Object[] downloadFile(LuauThread L, Bucket b, Object[] a) {
    String fn = "ObjectStorage:download_file";
    String path = path(a, 0, fn);
    long start = 0;
    long end = -1;
    Object opts = HostArgs.arg(a, 1);
    if (opts != null) {
      LuauTable o = HostArgs.table(a, 1, fn, "opts");
      if (o.rawget(LuauString.of("range")) instanceof LuauTable r) {
        Object[] range = {r.rawget(LuauString.of("read_start")), r.rawget(LuauString.of("read_end"))};
        start = HostArgs.integer(range, 0, fn, "opts.range.read_start", 0, Long.MAX_VALUE);
        end = HostArgs.integer(range, 1, fn, "opts.range.read_end", start, Long.MAX_VALUE);
      }
    }
    b.check("download_file");
    b.limits.check("download_file");
    long cap = Math.min(b.plugin.maxDownloadBytes, b.ctx.host().memoryLimit());
    byte[] data = b.ctx.await(L, "ObjectStorage download_file", () -> b.store().download(b.ctx.tenant(), path, cap));
    if (end >= 0) {
      if (end > data.length) {
        throw HostArgs.bad(1, fn, "opts.range", "read_end " + end + " is past the end of the " + data.length + "-byte object");
      }
      data = Arrays.copyOfRange(data, (int) start, (int) end);
    }
    return new Object[] {io.templateworker.runtime.values.Blob.wrap(L, data)};
  }

  private static Object[] getFileUrl(LuauThread L, Bucket b, Object[] a) {
    String fn = "ObjectStorage:get_file_url";
    String path = path(a, 0, fn);
    Duration expiry = Args.timeDelta(a, 1, fn, "expiry", true);
    if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_URL_EXPIRY) > 0) {
      throw HostArgs.bad(1, fn, "expiry", "must be between 1 second and 7 days, got " + expiry.toSeconds() + " s");
    }
    b.check("get_file_url");
    b.limits.check("get_file_url");
    return new Object[] {LuauString.of(b.ctx.await(L, "ObjectStorage get_file_url", () -> b.store().url(b.ctx.tenant(), path, expiry)))};
  }

  private static Object[] uploadFile(LuauThread L, Bucket b, Object[] a) {
    String fn = "ObjectStorage:upload_file";
    String path = path(a, 0, fn);
    byte[] data = HostArgs.bytes(a, 1, fn, "data").clone();
    if (data.length > b.plugin.maxUploadBytes) {
      throw HostArgs.bad(1, fn, "data", "is " + data.length + " bytes; uploads are limited to " + b.plugin.maxUploadBytes);
    }
    b.check("upload_file");
    b.limits.check("upload_file");
    b.ctx.await(L, "ObjectStorage upload_file", () -> {
      b.store().upload(b.ctx.tenant(), path, data);
      return null;
    });
    return LuauFunction.NONE;
  }

  private static Object[] deleteFile(LuauThread L, Bucket b, Object[] a) {
    String path = path(a, 0, "ObjectStorage:delete_file");
    b.check("delete_file");
    b.limits.check("delete_file");
    b.ctx.await(L, "ObjectStorage delete_file", () -> {
      b.store().delete(b.ctx.tenant(), path);
      return null;
    });
    return LuauFunction.NONE;
  }
}
