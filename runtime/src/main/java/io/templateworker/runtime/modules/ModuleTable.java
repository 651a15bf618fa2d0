package io.templateworker.runtime.modules;

import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;

/** Builds a module's table: functions and values by name, frozen at the end (upstream's read-only modules). */
final class ModuleTable {
  private final LuauTable table = new LuauTable();

  ModuleTable fn(String name, HostFunction fn) {
    table.rawset(LuauString.of(name), LuauFunction.host(name, fn));
    return this;
  }

  ModuleTable value(String name, Object value) {
    table.rawset(LuauString.of(name), value);
    return this;
  }

  LuauTable build() {
    table.freeze();
    return table;
  }
}
