package io.templateworker.luau.value;

/** A fixed-size mutable byte array (Luau's buffer type). */
public final class LuauBuffer {
  private final byte[] data;

  public LuauBuffer(int size) {
    this.data = new byte[size];
  }

  public LuauBuffer(byte[] data) {
    this.data = data;
  }

  /** The live bytes: writes are visible to Luau. */
  public byte[] data() {
    return data;
  }

  public int length() {
    return data.length;
  }
}
