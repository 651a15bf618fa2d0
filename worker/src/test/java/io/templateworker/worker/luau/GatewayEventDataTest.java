package io.templateworker.worker.luau;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.sandbox.Limits;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.event.RawJson;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerConfig;
import io.templateworker.worker.process.Wire;
import io.templateworker.worker.testing.MemoryTemplates;
import io.templateworker.worker.testing.MemoryTenantStates;
import io.templateworker.worker.thread.ThreadPool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gateway events carry Discord's JSON as received; templates read it as plain JSON (upstream's RawValue). */
class GatewayEventDataTest {
  static final TenantId T = TenantId.guild((40L << 22) + 1);
  static final String MESSAGE = """
      {"id":"1","guild_id":"%d","content":"ping","mentions":[],"embeds":[{"title":"t"}],"nonce":null,
       "author":{"id":"42","username":"alice"}}""".formatted(T.id());

  final MemoryTenantStates states = new MemoryTenantStates();
  final MemoryTemplates templates = new MemoryTemplates();
  ThreadPool pool;

  @BeforeEach
  void start() {
    states.subscribe(T, "MESSAGE");
    pool = new ThreadPool(1, WorkerConfig.DEFAULTS, new TenantServices(states, templates, null),
        new LuauIsolateFactory(Limits.defaults()), (tenant, template, event, error) -> { }, KhronosValue.Null.INSTANCE).start();
    templates.create(T, new TemplateSpec("reader", Map.of("init.luau", """
        local interop = require("@antiraid/interop")
        return {
          MESSAGE = function(ctx)
            local d = ctx.event.data
            return { name = ctx.event.name, content = d.content, author = d.author.username,
                     mentions_is_array = getmetatable(d.mentions) == interop.array_metatable,
                     embeds = #d.embeds, nonce_is_nil = d.nonce == nil }
          end,
        }
        """), List.of("MESSAGE"), List.of(), false, null, "luau"));
  }

  @AfterEach
  void stop() {
    pool.kill();
  }

  @Test
  void a_template_reads_the_json_as_plain_luau_values() throws Exception {
    CreateEvent event = CreateEvent.ofJson("MESSAGE", null, RawJson.of(MESSAGE));
    KhronosValue.ListValue results = (KhronosValue.ListValue) pool.dispatchEvent(T, event).get(30, TimeUnit.SECONDS);
    KhronosValue.MapValue value = (KhronosValue.MapValue) ((KhronosValue.MapValue) results.items().get(0)).get("value");
    assertThat(value.get("name")).isEqualTo(new KhronosValue.Text("MESSAGE"));
    assertThat(value.get("content")).isEqualTo(new KhronosValue.Text("ping"));
    assertThat(value.get("author")).isEqualTo(new KhronosValue.Text("alice"));
    assertThat(value.get("mentions_is_array")).isEqualTo(KhronosValue.Bool.TRUE);
    assertThat(value.get("embeds")).isEqualTo(new KhronosValue.Int(1));
    assertThat(value.get("nonce_is_nil")).isEqualTo(KhronosValue.Bool.TRUE);
  }

  @Test
  void json_data_survives_the_process_pool_wire() {
    CreateEvent event = CreateEvent.ofJson("MESSAGE", null, RawJson.of(MESSAGE));
    CreateEvent back = Wire.event(Wire.event(event));
    assertThat(back.json()).isEqualTo(event.json());
    assertThat(back.name()).isEqualTo("MESSAGE");
  }
}
