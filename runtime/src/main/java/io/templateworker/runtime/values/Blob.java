package io.templateworker.runtime.values;

import io.templateworker.luau.embed.SizedPayload;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import java.util.Arrays;

/**
 * Host-owned bytes ({@code Blob}): what datamgmt returns, so large data need not be copied into Luau.
 * {@code #blob} is its length; {@code drain()} empties it; {@code zeroize()} overwrites the bytes with zeros
 * before emptying it (for keys and secrets); {@code tobuffer()} moves the bytes into a new buffer, leaving the
 * Blob empty. Functions that take bytes accept a Blob, a buffer or a string (upstream's "BlobTaker").
 */
public final class Blob implements SizedPayload {
  private static final byte[] EMPTY = new byte[0];

  public static final UserdataType<Blob> TYPE = UserdataType.builder("Blob", Blob.class)
      .method("drain", (L, self, a) -> {
        self.data = EMPTY;
        return LuauFunction.NONE;
      })
      .method("zeroize", (L, self, a) -> {
        Arrays.fill(self.data, (byte) 0);
        self.data = EMPTY;
        return LuauFunction.NONE;
      })
      .method("tobuffer", (L, self, a) -> {
        byte[] d = self.data;
        self.data = EMPTY;
        L.allocate(16 + d.length);
        return new Object[] {new LuauBuffer(d)};
      })
      .metamethod("__len", (L, a) -> new Object[] {(double) Blob.TYPE.check(a, 0, "__len").data.length})
      .build();

  private byte[] data;

  private Blob(byte[] data) {
    this.data = data;
  }

  @Override
  public long retainedBytes() {
    return data.length;
  }

  /** The live bytes (not a copy): read them, do not keep or change them. */
  public byte[] bytes() {
    return data;
  }

  /** A Blob that owns {@code data} (not copied). */
  public static LuauUserdata wrap(byte[] data) {
    return Blob.TYPE.wrap(new Blob(data));
  }

  /** The same, charging the bytes to the VM's memory budget. */
  public static LuauUserdata wrap(LuauThread L, byte[] data) {
    return Blob.TYPE.wrap(L, new Blob(data), data.length);
  }
}
