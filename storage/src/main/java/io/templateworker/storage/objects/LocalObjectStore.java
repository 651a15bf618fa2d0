package io.templateworker.storage.objects;

import io.templateworker.runtime.store.ObjectInfo;
import io.templateworker.runtime.store.ObjectPaths;
import io.templateworker.runtime.store.ObjectStore;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.TenantId;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Objects as files: {@code {base}/{bucket}/{tenant_id}/{path}} (upstream's local layout). Writes go to a
 * temporary file first and are moved into place, so a reader never sees half an object. Paths are checked by
 * {@link ObjectPaths} and the resolved file must stay under the tenant's folder, so no path leaves it.
 */
public final class LocalObjectStore implements ObjectStore {
  private final Path base;

  public LocalObjectStore(Path base) {
    this.base = base.toAbsolutePath().normalize();
  }

  public Path base() {
    return base;
  }

  private Path tenantDir(TenantId tenant) {
    return base.resolve(ObjectPaths.bucket(tenant)).resolve(tenant.idString());
  }

  private Path file(TenantId tenant, String path) {
    Path dir = tenantDir(tenant);
    Path f = dir.resolve(ObjectPaths.checkPath(path)).normalize();
    if (!f.startsWith(dir)) {
      throw new StoreException(StoreException.Kind.INVALID_ARGUMENT, "object path \"" + path + "\" leaves the tenant's folder");
    }
    return f;
  }

  @Override
  public List<ObjectInfo> list(TenantId tenant, String prefix) {
    ObjectPaths.keyPrefix(tenant, prefix);
    String want = prefix == null ? "" : prefix;
    Path dir = tenantDir(tenant);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<ObjectInfo> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String rel = dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
        if (!rel.startsWith(want) || rel.contains(".upload-")) {
          continue;
        }
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (a.isRegularFile()) {
          out.add(new ObjectInfo(rel, a.lastModifiedTime().toInstant(), a.size(), null));
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw failure("list objects", e);
    }
    out.sort(Comparator.comparing(ObjectInfo::path));
    return out;
  }

  @Override
  public boolean exists(TenantId tenant, String path) {
    return Files.isRegularFile(file(tenant, path));
  }

  @Override
  public byte[] download(TenantId tenant, String path, long maxBytes) {
    Path f = file(tenant, path);
    try {
      long size = Files.size(f);
      if (size > maxBytes) {
        throw new StoreException(StoreException.Kind.LIMIT_EXCEEDED, "object \"" + path + "\" is " + size
            + " bytes; downloads are limited to " + maxBytes);
      }
      return Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      throw new StoreException(StoreException.Kind.NOT_FOUND, "no object at \"" + path + "\"");
    } catch (IOException e) {
      throw failure("download \"" + path + "\"", e);
    }
  }

  @Override
  public String url(TenantId tenant, String path, Duration expiry) {
    return file(tenant, path).toUri().toString();
  }

  @Override
  public void upload(TenantId tenant, String path, byte[] data) {
    Path f = file(tenant, path);
    try {
      Files.createDirectories(f.getParent());
      Path tmp = Files.createTempFile(f.getParent(), ".upload-", ".tmp");
      try {
        Files.write(tmp, data);
        try {
          Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw failure("upload \"" + path + "\"", e);
    }
  }

  @Override
  public void delete(TenantId tenant, String path) {
    try {
      Files.deleteIfExists(file(tenant, path));
    } catch (IOException e) {
      throw failure("delete \"" + path + "\"", e);
    }
  }

  private StoreException failure(String what, Exception e) {
    return new StoreException(StoreException.Kind.UNAVAILABLE, "local object storage could not " + what + ": " + e.getMessage(), e);
  }
}
