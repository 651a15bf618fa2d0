package io.templateworker.worker.luau;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.JsonLuau;
import io.templateworker.runtime.bridge.KhronosLuau;
import io.templateworker.runtime.context.Capabilities;
import io.templateworker.runtime.context.CapabilityException;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosException;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.PluginHost;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.store.TenantId;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ctx} a handler receives, as a frozen Luau table (UPSTREAM.md §8.2): {@code event} (also callable,
 * so {@code ctx:event()} works as upstream), {@code store} (the isolate's table, kept across events),
 * {@code allowed_caps}, {@code current_user}, {@code memory_limit}, {@code available_extra_plugins}, the methods
 * {@code has_cap}, {@code has_any_cap} and {@code with}, and the plugins ({@code ctx.KV}, ...).
 *
 * <p>Plugins are created lazily, on the first read of {@code ctx.<Name>} (the table's {@code __index}), under
 * this context's capabilities, and cached in this table's Java side only: a context made by {@code ctx:with}
 * is a new table with an empty cache, so it never reaches an executor created under its parent's
 * capabilities (upstream shared the cache, gap 16).
 */
final class ContextTable {
  private static final LuauString EVENT = LuauString.of("event");
  private static final LuauString STORE = LuauString.of("store");
  private static final LuauString ALLOWED_CAPS = LuauString.of("allowed_caps");
  private static final LuauString CURRENT_USER = LuauString.of("current_user");
  private static final LuauString MEMORY_LIMIT = LuauString.of("memory_limit");
  private static final LuauString HAS_CAP = LuauString.of("has_cap");
  private static final LuauString HAS_ANY_CAP = LuauString.of("has_any_cap");
  private static final LuauString WITH = LuauString.of("with");
  private static final LuauString CAPABILITIES = LuauString.of("capabilities");
  private static final LuauString NAME = LuauString.of("name");
  private static final LuauString AUTHOR = LuauString.of("author");
  private static final LuauString DATA = LuauString.of("data");
  private static final LuauString CALL = LuauString.of("__call");
  private static final LuauString GUILD_ID = LuauString.of("guild_id");
  private static final LuauString EXTRA_PLUGINS = LuauString.of("available_extra_plugins");
  /** A LuauTable hash hint that gives 16 slots (it doubles the hint, rounded up to a power of two). */
  private static final int CTX_HASH_HINT = 8;
  private static final LuauTable EVENT_META = eventMeta();
  private static final LuauTable EVENT_PROTOTYPE = eventPrototype();
  private static final int[] EVENT_SLOTS =
      {EVENT_PROTOTYPE.hashSlotOf(NAME), EVENT_PROTOTYPE.hashSlotOf(AUTHOR), EVENT_PROTOTYPE.hashSlotOf(DATA)};
  private static final LuauTable EMPTY_LIST = frozenEmpty();
  /** Shared by every ctx table: reads of absent members resolve plugins. */
  private static final LuauTable CTX_META = contextMeta();
  /** Where a ctx table keeps its Java side: an opaque userdata scripts can see but not use. */
  private static final LuauString SELF = LuauString.of("__context");
  // Shared by every ctx table: they find their context through the self argument, so no closure per event.
  private static final LuauFunction HAS_CAP_FN = LuauFunction.host("has_cap", ContextTable::hasCap);
  private static final LuauFunction HAS_ANY_CAP_FN = LuauFunction.host("has_any_cap", ContextTable::hasAnyCap);
  private static final LuauFunction WITH_FN = LuauFunction.host("with", ContextTable::with);

  /** The Java side of one ctx table: its context and the plugins created under it. */
  private static final class Bound {
    final TemplateContext ctx;
    final LuauTable store;
    final long memoryLimit;
    final PluginHost host;
    private Object[] plugins;

    Bound(TemplateContext ctx, LuauTable store, long memoryLimit, PluginHost host) {
      this.ctx = ctx;
      this.store = store;
      this.memoryLimit = memoryLimit;
      this.host = host;
    }

    /** The plugin in registry slot {@code slot}, created under this context on first use. */
    Object plugin(int slot) {
      if (plugins == null) {
        plugins = new Object[host.plugins().size()];
      }
      Object p = plugins[slot];
      if (p == null) {
        try {
          p = host.plugins().get(slot).create(new PluginContext(ctx, host));
        } catch (PluginError e) {
          throw LuauError.runtime(e.getMessage());
        }
        plugins[slot] = p;
      }
      return p;
    }
  }

  /**
   * The parts of an isolate's ctx tables that stay the same from event to event (its tenant's guild_id, its
   * allowed_caps, store, memory_limit, the methods): a frozen prototype table built once, which each event's ctx
   * copies with its own event, current_user and Java side ({@link LuauTable#frozenCopy}) instead of hashing all
   * eleven keys again. One per isolate; VM thread only.
   */
  static final class Constants {
    private TenantId tenant;
    private Capabilities caps;
    private LuauTable store;
    private long memoryLimit = -1;
    private LuauTable prototype;
    /** The prototype's hash slots of event, current_user and __context, the members that change per event. */
    private int[] perEvent;

    /** A ctx table for this isolate: the prototype's members plus the three of this event. */
    LuauTable build(TemplateContext ctx, LuauTable store, long memoryLimit, Object event, Object currentUser,
        LuauUserdata self) {
      // equal, not the same, tenant: callers may build a TenantId per event
      if (prototype == null || !ctx.tenant().equals(tenant) || ctx.capabilities() != caps || store != this.store
          || memoryLimit != this.memoryLimit) {
        prototype(ctx.tenant(), ctx.capabilities(), store, memoryLimit);
      }
      return prototype.frozenCopy(perEvent, event, currentUser, self);
    }

    private void prototype(TenantId tenant, Capabilities caps, LuauTable store, long memoryLimit) {
      List<String> names = caps.asList();
      LuauTable capList = new LuauTable(names.size(), 0);
      for (int i = 0; i < names.size(); i++) {
        capList.rawset(i + 1, LuauString.of(names.get(i)));
      }
      capList.freeze();
      // Sized for its 11 members (16 slots, at most 3/4 full), inserted in the order a ctx always had. The
      // per-event members hold a placeholder until each copy sets them.
      LuauTable t = new LuauTable(0, CTX_HASH_HINT);
      t.rawset(EVENT, Boolean.TRUE);
      t.rawset(GUILD_ID, LuauString.of(tenant.idString())); // templating-types' TemplateContext.guild_id
      t.rawset(STORE, store);
      t.rawset(ALLOWED_CAPS, capList);
      t.rawset(CURRENT_USER, Boolean.TRUE);
      t.rawset(MEMORY_LIMIT, (double) memoryLimit);
      t.rawset(HAS_CAP, HAS_CAP_FN);
      t.rawset(HAS_ANY_CAP, HAS_ANY_CAP_FN);
      t.rawset(WITH, WITH_FN);
      t.rawset(EXTRA_PLUGINS, EMPTY_LIST);
      t.rawset(SELF, Boolean.TRUE);
      t.setMetatable(CTX_META);
      t.freeze();
      perEvent = new int[] {t.hashSlotOf(EVENT), t.hashSlotOf(CURRENT_USER), t.hashSlotOf(SELF)};
      prototype = t;
      this.tenant = tenant;
      this.caps = caps;
      this.store = store;
      this.memoryLimit = memoryLimit;
    }
  }

  private ContextTable() {}

  /** An event name and its Luau string. */
  private record EventName(String name, LuauString value) {}

  /** Recent event names by hash: a process sees few, and every isolate reads the same entries (cache-hot). */
  private static final EventName[] EVENT_NAMES = new EventName[16];

  /**
   * The Luau string of an event name, shared by every isolate: the canonical instance ({@link LuauString#intern}),
   * so a handler table's key (a compiled constant) matches it by identity. Any thread: a racing miss only builds
   * an equal entry.
   */
  static LuauString eventName(String name) {
    int i = name.hashCode() & (EVENT_NAMES.length - 1);
    EventName e = EVENT_NAMES[i];
    if (e == null || !e.name.equals(name)) {
      e = new EventName(name, LuauString.intern(LuauString.of(name)));
      EVENT_NAMES[i] = e;
    }
    return e.value;
  }

  /** A ctx without plugins (host-less callers, e.g. a warm-up run). */
  static LuauTable build(TemplateContext ctx, LuauTable store, long memoryLimit) {
    return build(ctx, store, memoryLimit, null);
  }

  /** The ctx table of {@code ctx}; its plugins come from {@code host} (the tenant VM's), none if null. */
  static LuauTable build(TemplateContext ctx, LuauTable store, long memoryLimit, PluginHost host) {
    return build(ctx, store, memoryLimit, host, new Constants());
  }

  /** As above, with the unchanging parts taken from {@code constants} (the isolate's). */
  static LuauTable build(TemplateContext ctx, LuauTable store, long memoryLimit, PluginHost host, Constants constants) {
    return constants.build(ctx, store, memoryLimit, event(ctx.event()), KhronosLuau.toLuau(ctx.currentUser()),
        new LuauUserdata(new Bound(ctx, store, memoryLimit, host), null));
  }

  private static LuauTable contextMeta() {
    LuauTable meta = new LuauTable(0, 2);
    meta.rawset(LuauString.of("__index"), LuauFunction.host("__index", ContextTable::member));
    meta.rawset(LuauString.of("__metatable"), LuauString.of("The metatable is locked"));
    meta.freeze();
    return meta;
  }

  private static LuauTable frozenEmpty() {
    LuauTable t = new LuauTable();
    t.freeze();
    return t;
  }

  /** {@code ctx.<name>} for names not stored in the table: a plugin, or nil. */
  private static Object[] member(LuauThread L, Object[] args) {
    if (args.length > 1 && args[1] instanceof LuauString name && args[0] instanceof LuauTable t
        && t.rawget(SELF) instanceof LuauUserdata u && u.payload() instanceof Bound b) {
      Plugins plugins = b.host == null ? null : b.host.plugins();
      int slot = plugins == null ? -1 : plugins.indexOf(name);
      if (slot >= 0) {
        return new Object[] {b.plugin(slot)};
      }
      if (plugins == null && Plugins.KNOWN_NAMES.contains(name.toString())) {
        throw LuauError.runtime("The " + name + " plugin is not supported in this context");
      }
    }
    return new Object[] {null};
  }

  private static Bound self(Object[] args, String fname) {
    if (args.length > 0 && args[0] instanceof LuauTable t && t.rawget(SELF) instanceof LuauUserdata u
        && u.payload() instanceof Bound b) {
      return b;
    }
    throw LuauError.runtime("'" + fname + "' must be called as a method: ctx:" + fname + "(...)");
  }

  private static Object[] hasCap(LuauThread L, Object[] args) {
    return new Object[] {self(args, "has_cap").ctx.hasCap(stringArg(args, 1, "has_cap"))};
  }

  private static Object[] hasAnyCap(LuauThread L, Object[] args) {
    return new Object[] {self(args, "has_any_cap").ctx.hasAnyCap(stringList(args, 1, "has_any_cap"))};
  }

  private static Object[] with(LuauThread L, Object[] args) {
    Bound b = self(args, "with");
    return new Object[] {with(b.ctx, b.store, b.memoryLimit, b.host, args)};
  }

  private static Object with(TemplateContext ctx, LuauTable store, long memoryLimit, PluginHost host, Object[] args) {
    if (args.length < 2 || !(args[1] instanceof LuauTable opts)) {
      throw LuauError.runtime("invalid argument #1 to 'with' (table expected)");
    }
    List<String> caps = stringList(new Object[] {null, opts.rawget(CAPABILITIES)}, 1, "with");
    CreateEvent newEvent = null;
    Object ev = opts.rawget(EVENT);
    if (ev instanceof LuauTable evt) {
      Object name = evt.rawget(NAME);
      if (!(name instanceof LuauString n)) {
        throw LuauError.runtime("with: event.name must be a string");
      }
      Object author = evt.rawget(AUTHOR);
      try {
        newEvent = new CreateEvent(n.toString(), author instanceof LuauString a ? a.toString() : null,
            KhronosLuau.toKhronos(evt.rawget(DATA)), List.of());
      } catch (KhronosException e) {
        throw LuauError.runtime("with: event.data: " + e.getMessage());
      }
    }
    try {
      return build(ctx.with(caps, newEvent), store, memoryLimit, host);
    } catch (CapabilityException e) {
      throw LuauError.runtime(e.getMessage());
    }
  }

  /** The read-only event table {name, author?, data}; calling it returns itself ({@code ctx:event()}). */
  private static LuauTable event(CreateEvent event) {
    // Gateway events carry Discord's JSON as received: plain JSON to Luau (arrays get the array metatable, null is nil).
    Object data = event.json() != null ? JsonLuau.fromJson(null, event.json().bytes()) : KhronosLuau.toLuau(event.data());
    return EVENT_PROTOTYPE.frozenCopy(EVENT_SLOTS, eventName(event.name()),
        event.author() == null ? null : LuauString.of(event.author()), data);
  }

  /** The shape of every event table: its members are placeholders that each copy replaces. */
  private static LuauTable eventPrototype() {
    LuauTable e = new LuauTable(0, 3);
    e.rawset(NAME, Boolean.TRUE);
    e.rawset(AUTHOR, Boolean.TRUE);
    e.rawset(DATA, Boolean.TRUE);
    e.setMetatable(EVENT_META);
    e.freeze();
    return e;
  }

  private static LuauTable eventMeta() {
    LuauTable meta = new LuauTable(0, 1);
    meta.rawset(CALL, LuauFunction.host("event", ContextTable::selfEvent));
    meta.freeze();
    return meta;
  }

  private static Object[] selfEvent(LuauThread L, Object[] args) {
    return new Object[] {args.length > 0 ? args[0] : null};
  }

  private static String stringArg(Object[] args, int i, String fname) {
    if (i < args.length && args[i] instanceof LuauString s) {
      return s.toString();
    }
    throw LuauError.runtime("invalid argument #" + i + " to '" + fname + "' (string expected)");
  }

  private static List<String> stringList(Object[] args, int i, String fname) {
    if (!(i < args.length && args[i] instanceof LuauTable t)) {
      throw LuauError.runtime("invalid argument #" + i + " to '" + fname + "' (table of strings expected)");
    }
    int n = t.length();
    List<String> out = new ArrayList<>(n);
    for (int k = 1; k <= n; k++) {
      if (!(t.rawget(k) instanceof LuauString s)) {
        throw LuauError.runtime("invalid argument #" + i + " to '" + fname + "' (item " + k + " is not a string)");
      }
      out.add(s.toString());
    }
    return out;
  }
}
