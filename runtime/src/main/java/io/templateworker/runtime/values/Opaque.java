package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.runtime.khronos.KhronosValue;

/**
 * A value Luau can hold and pass on but never read ({@code Opaque}): e.g. a priced global KV entry's data,
 * which {@code typesext.castopaquevaluetopaquemap} can turn into a VFS to require from without revealing the
 * source. It has no members; converting it to a KhronosValue (storing or returning it) is refused, as upstream.
 */
public final class Opaque {
  public static final UserdataType<Opaque> TYPE = UserdataType.builder("Opaque", Opaque.class)
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("Opaque")})
      .build();

  private final KhronosValue value;

  private Opaque(KhronosValue value) {
    this.value = value;
  }

  /** The hidden value, for host code only. */
  public KhronosValue value() {
    return value;
  }

  public static LuauUserdata wrap(KhronosValue value) {
    return Opaque.TYPE.wrap(new Opaque(value));
  }

  /** The hidden value behind {@code v} when it is an Opaque, else null. */
  public static KhronosValue valueOf(Object v) {
    return Opaque.TYPE.is(v) ? ((Opaque) ((LuauUserdata) v).payload()).value : null;
  }
}
