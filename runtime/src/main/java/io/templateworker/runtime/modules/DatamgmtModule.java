package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.SizedPayload;
import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.values.Blob;
import io.templateworker.runtime.values.HostArgs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * {@code @antiraid/datamgmt}, with upstream's formats so data moves between the two: {@code TarArchive(data?)}
 * (ustar/GNU tar through commons-compress; {@code takefile}, {@code addfile}, {@code entries}, {@code toblob},
 * {@code #len}; entries up to 4 MiB), {@code aes256encrypt/aes256decrypt(data, key)} and
 * {@code aes256decryptcustom(salt, nonce, ciphertext, key)} (AES-256-GCM from the JDK, key derived with
 * Argon2id v1.3, t=1, m=64 MiB, p=4 (Bouncy Castle); layout {@code salt(8) | nonce(12) | ciphertext+tag}),
 * {@code base64encode/base64decode} (standard alphabet, padded), {@code compress(data, level?)} /
 * {@code decompress(data)} (gzip, also named {@code compressgzip}/{@code decompressgzip}) and
 * {@code newblob(data)}. Data arguments take a Blob, a buffer or a string; results are Blobs. What is built is
 * charged to the VM's memory limit as it grows, so a decompression bomb stops at the limit.
 */
final class DatamgmtModule {
  static final int MAX_TAR_ENTRY = 4 * 1024 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Each Argon2 derivation takes 64 MiB of host memory: at most two at once per process. */
  private static final Semaphore ARGON2 = new Semaphore(2);

  private DatamgmtModule() {
  }

  /** The Java side of a TarArchive: file name → contents, in insertion order; null once turned into a Blob. */
  static final class Tar implements SizedPayload {
    Map<String, byte[]> entries = new LinkedHashMap<>();

    @Override
    public long retainedBytes() {
      long n = 0;
      if (entries != null) {
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
          n += 64 + e.getKey().length() + e.getValue().length;
        }
      }
      return n;
    }

    Map<String, byte[]> live() {
      if (entries == null) {
        throw LuauError.runtime("TarArchive was consumed by toblob() and cannot be used again");
      }
      return entries;
    }
  }

  static final UserdataType<Tar> TAR = UserdataType.builder("TarArchive", Tar.class)
      .method("takefile", (L, self, a) -> {
        byte[] data = self.live().remove(HostArgs.text(a, 0, "takefile", "name"));
        return new Object[] {data == null ? null : Blob.wrap(data)};
      })
      .method("addfile", (L, self, a) -> {
        String name = HostArgs.text(a, 0, "addfile", "name");
        byte[] data = HostArgs.bytes(a, 1, "addfile", "contents").clone();
        if (data.length > MAX_TAR_ENTRY) {
          throw LuauError.runtime("Archive entry '" + name + "' exceeds maximum allowed size.");
        }
        L.allocate(64 + data.length);
        self.live().put(name, data);
        return LuauFunction.NONE;
      })
      .method("entries", (L, self, a) -> {
        LuauTable t = new LuauTable(self.live().size(), 0);
        int i = 0;
        for (String name : self.live().keySet()) {
          t.rawset(++i, LuauString.of(name));
        }
        return new Object[] {t};
      })
      .method("toblob", (L, self, a) -> {
        byte[] tar = writeTar(L, self.live());
        self.entries = null;
        return new Object[] {Blob.wrap(tar)};
      })
      .metamethod("__len", (L, a) -> new Object[] {(double) DatamgmtModule.TAR.check(a, 0, "__len").live().size()})
      .build();

  static LuauTable create(LuauState state) {
    return new ModuleTable()
        .fn("newblob", (L, a) -> new Object[] {Blob.wrap(L, HostArgs.bytes(a, 0, "newblob", "data").clone())})
        .fn("base64encode", (L, a) -> {
          byte[] data = HostArgs.bytes(a, 0, "base64encode", "data");
          L.allocate(data.length * 4L / 3 + 4);
          return new Object[] {LuauString.wrap(Base64.getEncoder().encode(data))};
        })
        .fn("base64decode", (L, a) -> {
          LuauString s = HostArgs.string(a, 0, "base64decode", "str");
          L.allocate(s.length());
          try {
            return new Object[] {Blob.wrap(Base64.getDecoder().decode(s.bytes()))};
          } catch (IllegalArgumentException e) {
            throw LuauError.runtime("Failed to decode base64: " + e.getMessage());
          }
        })
        .fn("TarArchive", (L, a) -> {
          Tar tar = new Tar();
          if (!HostArgs.isNil(a, 0)) {
            tar.entries = readTar(L, HostArgs.bytes(a, 0, "TarArchive", "data"));
          }
          return new Object[] {TAR.wrap(L, tar, 64)};
        })
        .fn("aes256encrypt", (L, a) -> encrypt(state, L, a))
        .fn("aes256decrypt", (L, a) -> {
          byte[] blob = HostArgs.bytes(a, 0, "aes256decrypt", "data");
          String key = HostArgs.text(a, 1, "aes256decrypt", "key");
          if (blob.length < 20) {
            throw LuauError.runtime("Blob data is too short to decrypt");
          }
          byte[] salt = java.util.Arrays.copyOfRange(blob, 0, 8);
          byte[] nonce = java.util.Arrays.copyOfRange(blob, 8, 20);
          byte[] ciphertext = java.util.Arrays.copyOfRange(blob, 20, blob.length);
          return new Object[] {Blob.wrap(L, decrypt(deriveKey(state, L, key, salt), nonce, ciphertext))};
        })
        .fn("aes256decryptcustom", (L, a) -> {
          byte[] salt = HostArgs.bytes(a, 0, "aes256decryptcustom", "salt");
          byte[] nonce = HostArgs.bytes(a, 1, "aes256decryptcustom", "nonce");
          byte[] ciphertext = HostArgs.bytes(a, 2, "aes256decryptcustom", "ciphertext");
          String key = HostArgs.text(a, 3, "aes256decryptcustom", "key");
          if (nonce.length != 12) {
            throw HostArgs.bad(1, "aes256decryptcustom", "nonce", "must be 12 bytes, got " + nonce.length);
          }
          return new Object[] {Blob.wrap(L, decrypt(deriveKey(state, L, key, salt), nonce, ciphertext))};
        })
        .fn("compress", (L, a) -> compress(L, a, "compress"))
        .fn("compressgzip", (L, a) -> compress(L, a, "compressgzip"))
        .fn("decompress", (L, a) -> decompress(L, a, "decompress"))
        .fn("decompressgzip", (L, a) -> decompress(L, a, "decompressgzip"))
        .build();
  }

  // ---- AES-256-GCM with an Argon2id key --------------------------------------------------------------

  private static Object[] encrypt(LuauState state, LuauThread L, Object[] a) {
    byte[] data = HostArgs.bytes(a, 0, "aes256encrypt", "data");
    String key = HostArgs.text(a, 1, "aes256encrypt", "key");
    byte[] salt = new byte[8];
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(nonce);
    L.allocate(data.length + 64L);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(deriveKey(state, L, key, salt), "AES"), new GCMParameterSpec(128, nonce));
      byte[] sealed = c.doFinal(data);
      byte[] out = new byte[20 + sealed.length];
      System.arraycopy(salt, 0, out, 0, 8);
      System.arraycopy(nonce, 0, out, 8, 12);
      System.arraycopy(sealed, 0, out, 20, sealed.length);
      return new Object[] {Blob.wrap(out)};
    } catch (GeneralSecurityException e) {
      throw LuauError.runtime("Failed to encrypt: " + e.getMessage());
    }
  }

  private static byte[] decrypt(byte[] derived, byte[] nonce, byte[] ciphertext) {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(derived, "AES"), new GCMParameterSpec(128, nonce));
      return c.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw LuauError.runtime("Failed to decrypt: aead::Error (wrong key or damaged data)");
    } catch (GeneralSecurityException e) {
      throw LuauError.runtime("Failed to decrypt: " + e.getMessage());
    }
  }

  /**
   * The AES key for {@code key} and {@code salt}, derived off the VM's thread: a task yields meanwhile, and the
   * derivation (host work, like I/O) does not use up the script's CPU slice.
   */
  private static byte[] deriveKey(LuauState state, LuauThread L, String key, byte[] salt) {
    if (salt.length < 8) {
      throw LuauError.runtime("Failed to hash password: SaltTooShort (a salt has at least 8 bytes)");
    }
    java.util.concurrent.CompletableFuture<Object[]> f = java.util.concurrent.CompletableFuture.supplyAsync(
        () -> new Object[] {deriveKey(key, salt)}, DERIVER);
    return (byte[]) state.await(L, f)[0];
  }

  private static final java.util.concurrent.Executor DERIVER =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("argon2-", 0).factory());

  /** Argon2id (v1.3, 1 pass, 64 MiB, 4 lanes) of the key's UTF-8 bytes with the salt: 32 bytes. */
  static byte[] deriveKey(String key, byte[] salt) {
    if (salt.length < 8) {
      throw LuauError.runtime("Failed to hash password: SaltTooShort (a salt has at least 8 bytes)");
    }
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13).withIterations(1).withMemoryAsKB(64 * 1024)
        .withParallelism(4).withSalt(salt).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[32];
    ARGON2.acquireUninterruptibly();
    try {
      gen.generateBytes(key.getBytes(StandardCharsets.UTF_8), out);
    } finally {
      ARGON2.release();
    }
    return out;
  }

  // ---- gzip ---------------------------------------------------------------------------------------------

  private static Object[] compress(LuauThread L, Object[] a, String fname) {
    byte[] data = HostArgs.bytes(a, 0, fname, "data");
    int level = HostArgs.isNil(a, 1) ? Deflater.BEST_COMPRESSION : (int) HostArgs.integer(a, 1, fname, "level", 0, 9);
    ChargedOutput out = new ChargedOutput(L);
    try (GZIPOutputStream gz = new GZIPOutputStream(out) {
      {
        def.setLevel(level);
      }
    }) {
      gz.write(data);
    } catch (IOException e) {
      throw LuauError.runtime(fname + ": " + e.getMessage());
    }
    return new Object[] {Blob.wrap(out.toByteArray())};
  }

  private static Object[] decompress(LuauThread L, Object[] a, String fname) {
    byte[] data = HostArgs.bytes(a, 0, fname, "data");
    ChargedOutput out = new ChargedOutput(L);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] buf = new byte[8192];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        L.checkInterrupt();
      }
    } catch (IOException e) {
      throw LuauError.runtime(fname + ": not valid gzip data (" + e.getMessage() + ")");
    }
    return new Object[] {Blob.wrap(out.toByteArray())};
  }

  /** A byte sink that charges its growth to the VM, so output beyond the memory limit fails early. */
  private static final class ChargedOutput extends ByteArrayOutputStream {
    private final LuauThread L;

    ChargedOutput(LuauThread L) {
      this.L = L;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      L.allocate(len);
      super.write(b, off, len);
    }

    @Override
    public synchronized void write(int b) {
      L.allocate(1);
      super.write(b);
    }
  }

  // ---- tar ----------------------------------------------------------------------------------------------

  private static Map<String, byte[]> readTar(LuauThread L, byte[] data) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(data))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()) {
          continue;
        }
        if (e.getSize() > data.length) {
          throw LuauError.runtime("Entry size exceeds total archive size.");
        }
        if (e.getSize() > MAX_TAR_ENTRY) {
          throw LuauError.runtime("Archive entry '" + e.getName() + "' exceeds maximum allowed size.");
        }
        L.allocate(64 + e.getSize());
        entries.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw LuauError.runtime("Invalid tar archive: " + e.getMessage());
    }
    return entries;
  }

  private static byte[] writeTar(LuauThread L, Map<String, byte[]> entries) {
    ChargedOutput out = new ChargedOutput(L);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        entry.setMode(0644);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (IOException | IllegalArgumentException e) {
      throw LuauError.runtime("Could not write the tar archive: " + e.getMessage());
    }
    return out.toByteArray();
  }
}
