package io.templateworker.luau.value;

import io.templateworker.luau.vm.LuauThread;

/** A function implemented in Java. {@code args} holds exactly the passed arguments. */
@FunctionalInterface
public interface HostFunction {
  Object[] call(LuauThread L, Object[] args);
}
