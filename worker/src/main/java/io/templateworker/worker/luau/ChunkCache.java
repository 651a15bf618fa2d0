package io.templateworker.worker.luau;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.vm.Chunk;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiled chunks shared by every worker of a process: a chunk is immutable, so one compilation serves every
 * tenant and VM loading the same file. Keyed by chunk name and the SHA-256 of the source (a cryptographic
 * hash, so no tenant can craft a source that collides with another tenant's and run its code). Bounded by
 * the total source size of the cached chunks; the least used are dropped first.
 */
public final class ChunkCache {
  /** Default bound: 64 MiB of source, a few thousand typical templates. */
  public static final long DEFAULT_MAX_SOURCE_BYTES = 64L << 20;
  private static final ChunkCache SHARED = new ChunkCache(DEFAULT_MAX_SOURCE_BYTES);

  private final Cache<Key, Chunk> chunks;
  private final AtomicLong compilations = new AtomicLong();

  public ChunkCache(long maxSourceBytes) {
    this.chunks = Caffeine.newBuilder()
        .maximumWeight(maxSourceBytes)
        .weigher(ChunkCache::weight)
        .executor(Runnable::run) // eviction on the inserting thread: inserts are rare, and the bound is exact
        .build();
  }

  /** The process-wide cache the workers use by default. */
  public static ChunkCache shared() {
    return SHARED;
  }

  private static int weight(Key key, Chunk chunk) {
    return key.sourceLength + 64;
  }

  /** The chunk for {@code source}, compiled on first use; a syntax error throws {@link CompileError}, uncached. */
  public Chunk compile(String chunkName, byte[] source) {
    Key key = new Key(chunkName, sha256(source), source.length);
    Chunk chunk = chunks.getIfPresent(key);
    if (chunk != null) {
      return chunk;
    }
    // Two first loads of one source may both compile; the result is identical, so the race is harmless.
    compilations.incrementAndGet();
    chunk = Luau.compile(source, chunkName);
    chunks.put(key, chunk);
    return chunk;
  }

  public Chunk compile(String chunkName, String source) {
    return compile(chunkName, source.getBytes(StandardCharsets.UTF_8));
  }

  /** Compilations done so far (cache misses that compiled). */
  public long compilations() {
    return compilations.get();
  }

  /** Chunks currently cached. */
  public long size() {
    return chunks.estimatedSize();
  }

  private static byte[] sha256(byte[] source) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(source);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK and missing", e);
    }
  }

  /** Chunk name plus source digest; the digest array is never mutated. */
  private static final class Key {
    final String name;
    final byte[] digest;
    final int sourceLength;
    private final int hash;

    Key(String name, byte[] digest, int sourceLength) {
      this.name = name;
      this.digest = digest;
      this.sourceLength = sourceLength;
      this.hash = 31 * name.hashCode() + Arrays.hashCode(digest);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.name.equals(name) && Arrays.equals(k.digest, digest);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
