package io.templateworker.runtime.modules;

import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.runtime.bridge.JsonLuau;
import io.templateworker.runtime.values.HostArgs;

/**
 * {@code @antiraid/json}: {@code tojsonstring(value, pretty?)} and {@code fromjsonstring(text)} (a string or a
 * buffer); the conversions are {@link JsonLuau}'s (arrays carry the array metatable, null is nil).
 */
final class JsonModule {
  private JsonModule() {
  }

  static LuauTable create() {
    return new ModuleTable()
        .fn("tojsonstring", (L, a) -> {
          String json = JsonLuau.toJson(L, HostArgs.arg(a, 0), Values.isTruthy(HostArgs.arg(a, 1)));
          L.allocate(json.length());
          return new Object[] {LuauString.of(json)};
        })
        .fn("fromjsonstring", (L, a) -> {
          Object v = HostArgs.arg(a, 0);
          byte[] bytes;
          if (v instanceof LuauString s) {
            bytes = s.bytes();
          } else if (v instanceof LuauBuffer b) {
            bytes = b.data();
          } else {
            throw HostArgs.type(a, 0, "fromjsonstring", "json", "string or buffer");
          }
          return new Object[] {JsonLuau.fromJson(L, bytes)};
        })
        .build();
  }
}
