package io.templateworker.devui;

import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example template local mode gives the demo guild, so that {@code !ping} in {@code #general} answers at once:
 * it replies "Pong!" and counts the guild's messages in KV. Seeded only into a guild with no templates at all, so a
 * template the user deleted or changed is left as it is.
 */
public final class DemoTemplate {
  private static final Logger LOG = LoggerFactory.getLogger(DemoTemplate.class);
  public static final String NAME = "ping";
  static final List<String> EVENTS = List.of("MESSAGE", "INTERACTION_CREATE");
  static final List<String> CAPS = List.of("kv:*", "discord:create_message", "discord:create_interaction_response");

  private DemoTemplate() {
  }

  /** The template's {@code init.luau}. */
  public static String source() {
    try (InputStream in = DemoTemplate.class.getResourceAsStream("demo/ping.luau")) {
      if (in == null) {
        throw new IllegalStateException("demo/ping.luau is missing from the devui jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TemplateSpec spec() {
    return new TemplateSpec(NAME, Map.of("init.luau", source()), EVENTS, CAPS, false, null, "luau");
  }

  /** Stores the demo template in {@code guild} when it has no template, and tells its worker. Returns whether it did. */
  public static boolean seed(TemplateStore templates, WorkerLike workers, long guild) {
    TenantId tenant = TenantId.guild(guild);
    List<Template> existing = templates.list(tenant);
    if (!existing.isEmpty()) {
      return false;
    }
    templates.create(tenant, spec());
    workers.reloadTemplates(tenant, NAME).whenComplete((ok, e) -> {
      if (e != null) {
        LOG.warn("demo template stored in guild {} but its worker was not told: {}", tenant.idString(), e.getMessage());
      }
    });
    LOG.info("seeded the demo guild {} with the template \"{}\": type !ping in #general", tenant.idString(), NAME);
    return true;
  }
}
