package io.templateworker.runtime.values;

import io.templateworker.luau.embed.SizedPayload;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.runtime.khronos.KhronosValue;

/**
 * A value converted to Luau only when {@code .data} is first read, then cached ({@code Lazy}): upstream uses it
 * for API results and for string maps (a template's files, a VFS). Stored back (KV, results) it converts from
 * its source without going through Luau.
 */
public final class Lazy implements SizedPayload {
  /** Where a Lazy's value comes from; the bridge supplies the conversions. */
  public interface Source {
    /** The value as a new Luau value (called once per Lazy). */
    Object toLuau();

    /** The value as a KhronosValue, for storing or returning it. */
    KhronosValue toKhronos();

    /** Bytes the source holds, for the VM's memory measurement (default: not counted). */
    default long retainedBytes() {
      return 0;
    }
  }

  public static final UserdataType<Lazy> TYPE = UserdataType.builder("Lazy", Lazy.class)
      .field("data", Lazy::data)
      .build();

  private final Source source;
  private Object cached;
  private boolean converted;

  private Lazy(Source source) {
    this.source = source;
  }

  public Source source() {
    return source;
  }

  public static LuauUserdata wrap(Source source) {
    return Lazy.TYPE.wrap(new Lazy(source));
  }

  /** The source behind {@code v} when it is a Lazy, else null. */
  public static Source sourceOf(Object v) {
    return Lazy.TYPE.is(v) ? ((Lazy) ((LuauUserdata) v).payload()).source : null;
  }

  @Override
  public long retainedBytes() {
    return source.retainedBytes();
  }

  @Override
  public void references(java.util.function.Consumer<Object> out) {
    out.accept(cached);
  }

  private Object data() {
    if (!converted) {
      cached = source.toLuau();
      converted = true;
    }
    return cached;
  }
}
