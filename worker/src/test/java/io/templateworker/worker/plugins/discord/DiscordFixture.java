package io.templateworker.worker.plugins.discord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.templateworker.discord.rest.DiscordRestClient;
import io.templateworker.discord.rest.DiscordRestConfig;
import io.templateworker.discord.state.RestGuildState;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.mockdiscord.DemoGuild;
import io.templateworker.mockdiscord.MockDiscord;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.discord.DiscordRequest;
import io.templateworker.runtime.discord.DiscordResponse;
import io.templateworker.runtime.discord.DiscordRest;
import io.templateworker.runtime.khronos.KhronosJson;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.discord.DiscordPlugin;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.runtime.store.TenantStateStore;
import io.templateworker.worker.luau.PluginHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tenant VM of the demo guild with {@code ctx.Discord} wired to a real in-process mock Discord through the real REST
 * client and guild state. Records every request sent, so tests can assert that a refused call sent nothing.
 */
final class DiscordFixture implements AutoCloseable {
  static final TenantId GUILD = TenantId.guild(DemoGuild.GUILD_ID);

  final MockDiscord mock;
  final DiscordRestClient client;
  final RestGuildState guildState;
  final List<DiscordRequest> sent = new CopyOnWriteArrayList<>();
  final AtomicLong bulkClock = new AtomicLong(1_000_000_000L);
  /** How far the bulk executors' clock moves at each reading (to let one script outlive an executor). */
  final AtomicLong bulkStep = new AtomicLong();
  final List<Long> slept = new CopyOnWriteArrayList<>();
  final PluginHarness vm;

  DiscordFixture(TenantStateStore states, TenantId tenant) {
    mock = MockDiscord.start(MockDiscord.Options.defaults());
    mock.rateLimits().disable();
    DemoGuild.seed(mock);
    client = new DiscordRestClient(DiscordRestConfig.defaults(mock.apiBase(), mock.botToken()), new SimpleMeterRegistry());
    DiscordRest recording = request -> {
      sent.add(request);
      return client.execute(request);
    };
    guildState = RestGuildState.withDefaults(client);
    DiscordPlugin plugin = new DiscordPlugin(recording, guildState, () -> bulkClock.addAndGet(bulkStep.get()), millis -> {
      slept.add(millis);
      bulkClock.addAndGet(millis * 1_000_000L);
    });
    vm = new PluginHarness(Plugins.builder().add(plugin).build(), new TenantServices(states, null, null), tenant);
  }

  DiscordFixture() {
    this(null, GUILD);
  }

  /** Runs code with {@code ctx} in scope and returns its first result as KhronosValue JSON. */
  String json(String code) {
    return KhronosJson.toJson(vm.eval("local ctx = ...\n" + code));
  }

  Object[] run(String code) {
    return vm.run("local ctx = ...\n" + code);
  }

  /** The error a script raises (fails the test when it raises none). */
  String error(String code) {
    try {
      vm.run("local ctx = ...\n" + code);
    } catch (LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error from: " + code);
  }

  /** Requests sent to Discord other than the reads the checks make (guild, members, channels, @me). */
  List<String> writes() {
    return sent.stream().filter(r -> !r.method().equals("GET")).map(r -> r.method() + " " + r.route()).toList();
  }

  /** A raw call to the mock as the bot, for setting up and inspecting state. */
  DiscordResponse rest(DiscordRequest r) {
    return client.execute(r);
  }

  static String id(long id) {
    return Long.toUnsignedString(id);
  }

  @Override
  public void close() {
    vm.close();
    client.close();
    mock.close();
  }
}
