package io.templateworker.bench.discord;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.bench.Results;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.luau.sandbox.Limits;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.mockdiscord.state.Json;
import io.templateworker.mockdiscord.state.MockGuild;
import io.templateworker.runtime.context.TemplateContext;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.RateLimits;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.luau.LuauIsolateFactory;
import io.templateworker.worker.vm.TemplateIsolate;
import io.templateworker.worker.vm.TenantEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ctx.Discord} from Luau, through real tenant VMs, the real REST client and an in-process mock Discord over
 * loopback HTTP (its rate limits and the client's 50/s global limit lifted, so the figures are our cost, not Discord's
 * policy):
 * <ul>
 *   <li>round trip of one plugin call (Luau call → argument table to JSON → capability and limiter → permission checks
 *       on cached guild state → HTTP to the mock → answer → Lazy → {@code .data}): p50/p99 for {@code get_guild_member}
 *       (a read) and {@code create_message} (validation, disclaimer, channel permission check, write), one tenant,
 *       calls one after another;</li>
 *   <li>calls/s with 100 tenants (100 guilds, one lane each on a virtual thread, as the worker runs tenants), each
 *       tenant calling {@code create_message} in a loop, with the per-tenant GCRA lifted (under the real limits a
 *       tenant may make 20 calls per 5 s: 100 tenants × 4/s = 400/s sustained).</li>
 * </ul>
 * Args: {@code [--seconds S]} per figure (default 10).
 */
final class DiscordPluginBench {
  private static final int TENANTS = 100;

  private DiscordPluginBench() {
  }

  static void run(int seconds, Results results) throws Exception {
    MockDiscord mock = MockDiscord.start(MockDiscord.Options.defaults());
    mock.rateLimits().disable();
    DemoGuild.seed(mock);
    List<long[]> guilds = new ArrayList<>(); // {guild id, channel id}
    for (int i = 0; i < TENANTS; i++) {
      final int n = i;
      MockGuild g = mock.locked(a -> {
        ObjectNode spec = Json.obj();
        spec.put("name", "bench " + n);
        spec.putArray("channels").addObject().put("name", "general");
        spec.putArray("members").addObject().putObject("user").put("username", "member" + n);
        return a.createGuild(spec);
      });
      guilds.add(new long[] {g.id, g.channels.keySet().iterator().next()});
    }
    DiscordRestClient client = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken())
        .withGlobalPerSecond(1_000_000), new SimpleMeterRegistry());
    try {
      DiscordPlugin plugin = new DiscordPlugin(client, RestGuildState.withDefaults(client)).withLimits(RateLimits.Spec.NONE);
      LuauIsolateFactory factory = new LuauIsolateFactory(Limits.defaults()).withPlugins(Plugins.builder().add(plugin).build());
      TenantServices services = new TenantServices(null, null, null);

      TenantId demo = TenantId.guild(DemoGuild.GUILD_ID);
      try (TenantEngine engine = factory.open(demo);
          TemplateIsolate isolate = engine.load(template(demo, DemoGuild.GENERAL_CHANNEL_ID))) {
        loop(isolate, demo, services, "Member", 200); // warm-up: JIT, HTTP connection, guild-state cache
        loop(isolate, demo, services, "Send", 200);
        report(results, "discord.plugin.get_guild_member", loop(isolate, demo, services, "Member", seconds * 1_000_000_000L));
        report(results, "discord.plugin.create_message", loop(isolate, demo, services, "Send", seconds * 1_000_000_000L));
      }

      List<TenantEngine> engines = new ArrayList<>();
      List<TemplateIsolate> isolates = new ArrayList<>();
      for (long[] g : guilds) {
        TenantEngine engine = factory.open(TenantId.guild(g[0]));
        engines.add(engine);
        isolates.add(engine.load(template(TenantId.guild(g[0]), g[1])));
      }
      tenants(isolates, guilds, services, 2); // warm-up
      long calls = tenants(isolates, guilds, services, seconds);
      results.report("discord.plugin.calls_per_s_100_tenants", calls / (double) seconds, "calls/s");
      for (int i = 0; i < isolates.size(); i++) {
        isolates.get(i).close();
        engines.get(i).close();
      }
    } finally {
      client.close();
      mock.close();
    }
  }

  private static Template template(TenantId tenant, long channel) {
    String init = """
        local channel = "%s"
        local n = 0
        return {
          Member = function(ctx) return ctx.Discord:get_guild_member({user_id = "%s"}).data.user.id end,
          Send = function(ctx)
            n += 1
            return ctx.Discord:create_message({channel_id = channel, data = {content = "bench " .. n}}).data.id
          end,
        }
        """.formatted(Long.toUnsignedString(channel), Long.toUnsignedString(DemoGuild.ALICE_ID));
    return new Template(tenant, "bench", Map.of("init.luau", init), List.of("Member", "Send"), List.of("*"), false, null, "luau",
        Instant.EPOCH, Instant.EPOCH);
  }

  /** Calls {@code event} one after another for {@code budget} (ns, or a count when small); latencies in ns. */
  private static long[] loop(TemplateIsolate isolate, TenantId tenant, TenantServices services, String event, long budget)
      throws Exception {
    CreateEvent ev = CreateEvent.of(event, KhronosValue.Null.INSTANCE);
    long[] samples = new long[1 << 20];
    int n = 0;
    long end = budget > 100_000 ? System.nanoTime() + budget : Long.MAX_VALUE;
    while (n < samples.length && (budget > 100_000 ? System.nanoTime() < end : n < budget)) {
      long start = System.nanoTime();
      isolate.handle(TemplateContext.root(tenant, ev, services, null));
      samples[n++] = System.nanoTime() - start;
    }
    return Arrays.copyOf(samples, n);
  }

  /** Every tenant's lane calls create_message in a loop for {@code seconds}; returns the calls made. */
  private static long tenants(List<TemplateIsolate> isolates, List<long[]> guilds, TenantServices services, int seconds)
      throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong calls = new AtomicLong();
    List<Thread> lanes = new ArrayList<>();
    CreateEvent ev = CreateEvent.of("Send", KhronosValue.Null.INSTANCE);
    for (int i = 0; i < isolates.size(); i++) {
      TemplateIsolate isolate = isolates.get(i);
      TenantId tenant = TenantId.guild(guilds.get(i)[0]);
      lanes.add(Thread.ofVirtual().start(() -> {
        try {
          while (System.nanoTime() < end) {
            isolate.handle(TemplateContext.root(tenant, ev, services, null));
            calls.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException("benchmark handler failed: " + e.getMessage(), e);
        }
      }));
    }
    for (Thread t : lanes) {
      t.join();
    }
    return calls.get();
  }

  private static void report(Results results, String name, long[] latencies) {
    Arrays.sort(latencies);
    results.report(name + ".p50", latencies.length == 0 ? 0 : latencies[latencies.length / 2] / 1e6, "ms");
    results.report(name + ".p99", latencies.length == 0 ? 0 : latencies[(int) (latencies.length * 0.99)] / 1e6, "ms");
    results.report(name + ".calls", latencies.length, "calls");
  }
}
