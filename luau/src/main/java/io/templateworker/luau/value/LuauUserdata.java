package io.templateworker.luau.value;

/** An opaque host object with an optional metatable (methods, fields, metamethods, __type). */
public final class LuauUserdata {
  private final Object payload;
  private LuauTable metatable;

  public LuauUserdata(Object payload, LuauTable metatable) {
    this.payload = payload;
    this.metatable = metatable;
  }

  public Object payload() {
    return payload;
  }

  public LuauTable getMetatable() {
    return metatable;
  }

  public void setMetatable(LuauTable mt) {
    this.metatable = mt;
  }
}
