package io.templateworker.runtime.plugin.discord;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.runtime.bridge.JsonLuau;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.discord.GuildState;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.PluginError;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.RateLimits.Quota;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.Lazy;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * {@code ctx.Discord} (UPSTREAM.md §8.4): every operation of upstream's Discord plugin, by the same names, each taking
 * one table and returning nothing or a plain value (P) or a {@code Lazy} over Discord's JSON (L).
 *
 * <p>A call runs in this order, and nothing reaches Discord unless every step passes: the tenant is a guild; the
 * argument table is read ({@link Req}); the context holds {@code discord:<op>}; a GCRA token is taken (§2.9, per
 * tenant VM, buckets keyed so the ban and kick limits apply: §12 #12) — or, on a bulk executor, the bulk budget
 * instead; then, off the VM thread, the request is validated, the bot's permissions and role hierarchy are checked
 * against the guild state, and only then is the request sent through the {@link DiscordRest} port (rate limited by
 * Discord's own buckets there).
 */
public final class DiscordPlugin implements Plugin {
  public static final String NAME = "Discord";

  /** Interaction and follow-up operations: token-based, 10 / 3 s each and outside the global limit. */
  static final List<String> INTERACTION_OPS = List.of("get_original_interaction_response", "edit_original_interaction_response",
      "delete_original_interaction_response", "create_followup_message", "get_followup_message", "edit_followup_message",
      "delete_followup_message");

  /**
   * Upstream's Discord limits (§2.9) with HEAD's fix: the ban and kick quotas are keyed on the buckets the ban and
   * kick operations actually use ({@code create_guild_ban}, {@code remove_guild_member}), so 5 / 30 s and 10 / 75 s
   * apply to them; {@code create_guild_commands} shares {@code create_guild_command}'s bucket (upstream had none).
   */
  public static final RateLimits.Spec LIMITS = limits();

  private static RateLimits.Spec limits() {
    Map<String, List<Quota>> perBucket = new HashMap<>();
    List<Quota> moderation = List.of(Quota.of(5, Duration.ofSeconds(30)), Quota.of(10, Duration.ofSeconds(75)));
    perBucket.put("antiraid_bulk_op", List.of(Quota.of(3, Duration.ofSeconds(1))));
    perBucket.put("create_guild_ban", moderation);
    perBucket.put("remove_guild_member", moderation);
    perBucket.put("create_message", List.of(Quota.of(30, Duration.ofSeconds(10))));
    for (String op : INTERACTION_OPS) {
      perBucket.put(op, List.of(Quota.of(10, Duration.ofSeconds(3))));
    }
    perBucket.put("get_guild_commands", List.of(Quota.of(1, Duration.ofSeconds(300))));
    perBucket.put("create_guild_command", List.of(Quota.of(1, Duration.ofSeconds(300))));
    Set<String> ignore = new HashSet<>(INTERACTION_OPS);
    ignore.add("antiraid_bulk_op");
    ignore.add("antiraid_bulk_op_wait");
    ignore.add("create_interaction_response");
    return new RateLimits.Spec(List.of(Quota.of(20, Duration.ofSeconds(5))), ignore, perBucket);
  }

  // A shared buffer pool: the default one is per thread, and each virtual thread would allocate its own buffers.
  static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder().recyclerPool(
            com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());

  /** Every operation by name. */
  static final Map<String, Op> OPS = operations();

  private static Map<String, Op> operations() {
    Map<String, Op> ops = new LinkedHashMap<>();
    AntiRaidOps.register(ops);
    GuildOps.register(ops);
    ChannelOps.register(ops);
    MessageOps.register(ops);
    InteractionOps.register(ops);
    return Map.copyOf(ops);
  }

  private static final UserdataType<Executor> TYPE = type();

  private static UserdataType<Executor> type() {
    UserdataType.Builder<Executor> b = UserdataType.builder("DiscordActionExecutor", Executor.class);
    for (String name : OPS.keySet()) {
      b.method(name, (L, e, a) -> e.call(L, name, a));
    }
    b.method("antiraid_bulk_op", (L, e, a) -> e.bulkOp(L, a));
    b.method("antiraid_bulk_op_wait", (L, e, a) -> e.bulkWait(L, a));
    b.metamethod("__tostring", (L, a) -> new Object[] {LuauString.of("DiscordActionExecutor")});
    return b.build();
  }

  /** The operations a template can call (besides the two bulk ones), for docs and tests. */
  public static Set<String> operationNames() {
    return OPS.keySet();
  }

  private final DiscordRest rest;
  private final GuildState state;
  private final BotIdentity bot;
  private final LongSupplier nanos;
  private final Sleeper sleeper;
  private final RateLimits.Spec limits;

  /** Waits for a bulk operation's enforced pause (a test replaces it to move a clock instead). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  public DiscordPlugin(DiscordRest rest, GuildState state) {
    this(rest, state, System::nanoTime, Thread::sleep);
  }

  /**
   * @param nanos   the clock bulk executors measure their 10 s expiry with
   * @param sleeper how {@code antiraid_bulk_op_wait} waits
   */
  public DiscordPlugin(DiscordRest rest, GuildState state, LongSupplier nanos, Sleeper sleeper) {
    this(rest, state, nanos, sleeper, LIMITS);
  }

  private DiscordPlugin(DiscordRest rest, GuildState state, LongSupplier nanos, Sleeper sleeper, RateLimits.Spec limits) {
    this.limits = limits;
    this.rest = rest;
    this.state = state;
    this.bot = rest == null ? null : new BotIdentity(rest);
    this.nanos = nanos;
    this.sleeper = sleeper;
  }

  /**
   * The same plugin with other per-tenant limits: {@code bin/bench discord} lifts them ({@link RateLimits.Spec#NONE}) to
   * measure the plugin and client rather than the 20 calls / 5 s a tenant may make.
   */
  public DiscordPlugin withLimits(RateLimits.Spec spec) {
    return new DiscordPlugin(rest, state, nanos, sleeper, spec);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    if (rest == null || state == null) {
      throw new PluginError("The Discord plugin is not supported in this context");
    }
    return TYPE.wrap(new Executor(this, context, context.limits(NAME, limits), null));
  }

  /** One operation: its bucket and its work (run off the VM thread). */
  record Op(String name, String bucket, Handler handler) {
  }

  @FunctionalInterface
  interface Handler {
    Reply run(Call call);
  }

  /** What an operation gives back: nothing, a plain value, or a Lazy over JSON. */
  record Reply(String json, boolean lazy) {
    static final Reply NONE = new Reply(null, false);

    static Reply lazy(String json) {
      return new Reply(json == null || json.isEmpty() ? "null" : json, true);
    }

    static Reply plain(String json) {
      return new Reply(json, false);
    }
  }

  /** A bulk executor's budget (UPSTREAM.md §8.4 "Bulk operations"). */
  private static final class Bulk {
    final String action;
    final LuauThread owner;
    int ops;
    String lastAction;
    long lastWaitNanos;

    Bulk(String action, LuauThread owner, long now) {
      this.action = action;
      this.owner = owner;
      this.lastWaitNanos = now;
    }
  }

  static final long BULK_EXPIRY_NANOS = Duration.ofSeconds(10).toNanos();

  /** Most operations between two waits, and the least wait, per action. */
  static int bulkMaxOps(String action) {
    return 1;
  }

  static long bulkMinWaitMillis(String action) {
    if (action == null) {
      return 2500;
    }
    return switch (action) {
      case "create_message" -> 1200;
      case "create_guild_role" -> 2200;
      case "modify_guild_role", "delete_guild_role" -> 2000;
      default -> 2500;
    };
  }

  /** One context's Discord executor (or a bulk executor made from it). */
  private record Executor(DiscordPlugin plugin, PluginContext ctx, RateLimits limits, Bulk bulk) {

    Object[] call(LuauThread L, String opName, Object[] args) {
      Op op = OPS.get(opName);
      long guildId = guildId();
      Req req = read(L, opName, args);
      checkCap(opName);
      if (bulk != null) {
        bulkAdmit(L, opName);
      } else {
        limits.check(op.bucket());
      }
      Call call = new Call(opName, req, guildId, plugin.rest, new GuildChecks(plugin.state, guildId), plugin.bot, ctx);
      Reply reply = ctx.await(L, "Discord " + opName, () -> op.handler().run(call));
      if (reply.json() == null) {
        return LuauFunction.NONE;
      }
      if (reply.lazy()) {
        return new Object[] {Lazy.wrap(new JsonSource(reply.json()))};
      }
      return new Object[] {JsonLuau.fromJson(L, reply.json())};
    }

    long guildId() {
      TenantId t = ctx.tenant();
      if (t.type() != TenantId.Type.GUILD) {
        throw LuauError.runtime("Current context is not a guild");
      }
      return t.id();
    }

    void checkCap(String op) {
      if (!ctx.hasCap("discord:" + op)) {
        throw LuauError.runtime("Discord action not allowed in this template context: " + op + " needs the capability discord:"
            + op);
      }
    }

    /** The argument table as JSON; nil is an empty table. */
    static Req read(LuauThread L, String op, Object[] args) {
      Object arg = args.length > 0 ? args[0] : null;
      if (arg == null) {
        return Req.of(null, op);
      }
      if (!(arg instanceof LuauTable)) {
        throw HostArgs.type(args, 0, Req.fname(op), "options", "table");
      }
      String json = JsonLuau.toJson(L, arg, false);
      try {
        return Req.of(JSON.readTree(json), op);
      } catch (IOException e) {
        throw HostArgs.bad(0, Req.fname(op), "options", e.getMessage());
      }
    }

    Object[] bulkOp(LuauThread L, Object[] args) {
      guildId();
      if (bulk != null) {
        throw LuauError.runtime("Bulk operations cannot be nested: call antiraid_bulk_op on the plugin, not on a bulk executor");
      }
      Object a = args.length > 0 ? args[0] : null;
      String action;
      if (a == null) {
        action = null;
      } else if (a instanceof LuauString s) {
        action = s.toString();
      } else if (a instanceof LuauTable t && (t.rawget(LuauString.of("action")) == null || t.rawget(LuauString.of("action")) instanceof LuauString)) {
        Object v = t.rawget(LuauString.of("action"));
        action = v == null ? null : v.toString();
      } else {
        throw HostArgs.bad(0, Req.fname("antiraid_bulk_op"), "action", "string or nil expected, got " + HostArgs.typeName(a));
      }
      if (action != null && !OPS.containsKey(action)) {
        throw HostArgs.bad(0, Req.fname("antiraid_bulk_op"), "action", "unknown operation '" + action + "'");
      }
      checkCap("antiraid_bulk_op");
      limits.check("antiraid_bulk_op");
      return new Object[] {TYPE.wrap(new Executor(plugin, ctx, limits, new Bulk(action, L, plugin.nanos.getAsLong())))};
    }

    Object[] bulkWait(LuauThread L, Object[] args) {
      if (bulk == null) {
        throw LuauError.runtime("antiraid_bulk_op_wait can only be called on a bulk operation executor (from antiraid_bulk_op)");
      }
      bulkOwner(L);
      bulkNotExpired();
      checkCap("antiraid_bulk_op_wait");
      limits.check("antiraid_bulk_op_wait");
      long millis = bulkMinWaitMillis(bulk.action != null ? bulk.action : bulk.lastAction)
          + ThreadLocalRandom.current().nextLong(10, 500);
      ctx.await(L, "Discord antiraid_bulk_op_wait", () -> {
        plugin.sleeper.sleep(millis);
        return null;
      });
      bulk.ops = 0;
      bulk.lastWaitNanos = plugin.nanos.getAsLong();
      return LuauFunction.NONE;
    }

    void bulkAdmit(LuauThread L, String op) {
      bulkOwner(L);
      if (bulk.action != null && !bulk.action.equals(op)) {
        throw LuauError.runtime("Bulk operation action mismatch: this executor is for " + bulk.action + ", not " + op);
      }
      bulkNotExpired();
      if (bulk.ops >= bulkMaxOps(op)) {
        throw LuauError.runtime("Bulk operation limit reached: call antiraid_bulk_op_wait() before the next " + op);
      }
      bulk.ops++;
      bulk.lastAction = op;
    }

    void bulkOwner(LuauThread L) {
      if (bulk.owner != L) {
        throw LuauError.runtime("This bulk operation executor belongs to another thread");
      }
    }

    void bulkNotExpired() {
      if (plugin.nanos.getAsLong() - bulk.lastWaitNanos > BULK_EXPIRY_NANOS) {
        throw LuauError.runtime("Bulk operation maximum wait period has passed");
      }
    }
  }

  /** A Lazy over a JSON answer: parsed on first {@code .data}; its text counts towards the VM's memory. */
  private record JsonSource(String json) implements Lazy.Source {
    @Override
    public Object toLuau() {
      return JsonLuau.fromJson(null, json);
    }

    @Override
    public io.templateworker.runtime.khronos.KhronosValue toKhronos() {
      return io.templateworker.runtime.bridge.KhronosLuau.toKhronos(JsonLuau.fromJson(null, json));
    }

    @Override
    public long retainedBytes() {
      return 40L + 2L * json.length();
    }
  }
}
