package io.templateworker.runtime.modules;

import io.templateworker.luau.embed.LuauState;
import io.templateworker.luau.require.RequireLib;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The entry point that makes {@code require("@antiraid/<name>")} return the core modules in a VM. Call
 * {@link #install} once per {@link LuauState}, right after creating it (before its first environment seals the
 * builtins). A built-in module always wins over a {@code .luaurc} alias or a file of the same name (the
 * templating-types checkout ships {@code @antiraid/*.luau} stubs that only raise errors). A state created
 * without {@code require} gets one with no files, so the modules are still reachable.
 */
public final class CoreModules {
  /** The module names, as templates require them. */
  public static final List<String> NAMES = List.of("@antiraid/channel", "@antiraid/datetime", "@antiraid/interop",
      "@antiraid/luau", "@antiraid/json", "@antiraid/datamgmt", "@antiraid/typesext");

  private CoreModules() {
  }

  /** Per VM: its state and the module cache of Vfs require functions. */
  private record VmModules(LuauState state, Map<String, Object> vfsCache) {
  }

  /**
   * VM → its modules, held weakly on both sides: the VM's own require keeps its VmModules alive (the loaders below
   * capture it), so the registry never keeps a dropped tenant's VM from being collected.
   */
  private static final Map<LuauVM, WeakReference<VmModules>> VMS = Collections.synchronizedMap(new WeakHashMap<>());

  public static void install(LuauState state) {
    VmModules modules = new VmModules(state, new HashMap<>());
    VMS.put(state.vm(), new WeakReference<>(modules));
    RequireLib require = RequireLib.of(state.builtins());
    if (require == null) {
      RequireLib.install(state.vm(), state.builtins(), path -> null);
      require = RequireLib.of(state.builtins());
    }
    require.defineHostModule("@antiraid/datetime", L -> DatetimeModule.create());
    require.defineHostModule("@antiraid/interop", L -> InteropModule.create(state));
    require.defineHostModule("@antiraid/json", L -> JsonModule.create());
    require.defineHostModule("@antiraid/luau", L -> LuauModule.create(state));
    require.defineHostModule("@antiraid/channel", L -> ChannelModule.create(state));
    require.defineHostModule("@antiraid/datamgmt", L -> DatamgmtModule.create(state));
    require.defineHostModule("@antiraid/typesext", L -> TypesextModule.create(modules.state()));
  }

  /** The state the running code belongs to, or null when its VM has no core modules installed. */
  static LuauState stateOf(LuauThread L) {
    VmModules m = modulesOf(L);
    return m == null ? null : m.state();
  }

  /** The VM-wide cache of modules loaded through Vfs require functions (keyed cacheprefix@path). */
  static Map<String, Object> vfsCache(LuauThread L) {
    VmModules m = modulesOf(L);
    return m == null ? new HashMap<>() : m.vfsCache();
  }

  private static VmModules modulesOf(LuauThread L) {
    WeakReference<VmModules> ref = VMS.get(L.vm());
    return ref == null ? null : ref.get();
  }

  /**
   * The core module {@code name} of {@code state} (e.g. for a {@code require} function of one's own, such as a
   * Vfs's), or null when {@code name} is not one.
   */
  public static Object module(LuauState state, LuauThread L, String name) {
    RequireLib require = RequireLib.of(state.builtins());
    return require == null ? null : require.hostModule(L, name);
  }
}
