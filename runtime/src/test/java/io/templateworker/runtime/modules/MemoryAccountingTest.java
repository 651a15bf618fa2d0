package io.templateworker.runtime.modules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.templateworker.luau.errors.LuauError;
import org.junit.jupiter.api.Test;

/** Data kept by host objects (channels, blobs, lazy values, cached modules) counts against the VM's memory limit. */
class MemoryAccountingTest {

  @Test
  void values_hidden_in_channels_still_count() {
    assertThatThrownBy(() -> ModuleScripts.run("""
        local channel = require("@antiraid/channel")
        local keep = {}
        for i = 1, 200 do
          local c = channel.OneshotChannel()
          c:send(string.rep("x", 1024 * 1024) .. i)
          keep[i] = c
        end
        """)).isInstanceOf(LuauError.class).hasMessageContaining("not enough memory");
  }

  @Test
  void delayed_items_still_count() {
    assertThatThrownBy(() -> ModuleScripts.run("""
        local channel = require("@antiraid/channel")
        local datetime = require("@antiraid/datetime")
        local d = channel.DelayChannel()
        for i = 1, 200 do
          d:add(string.rep("x", 1024 * 1024) .. i, datetime.timedelta_seconds(60))
        end
        """)).isInstanceOf(LuauError.class).hasMessageContaining("not enough memory");
  }

  @Test
  void blobs_count() {
    assertThatThrownBy(() -> ModuleScripts.run("""
        local dm = require("@antiraid/datamgmt")
        local keep = {}
        local mb = string.rep("x", 1024 * 1024)
        for i = 1, 200 do keep[i] = dm.newblob(mb) end
        """)).isInstanceOf(LuauError.class).hasMessageContaining("not enough memory");
  }
}
