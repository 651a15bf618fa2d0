package io.templateworker.api.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.templateworker.api.Access;
import io.templateworker.api.ApiErrorCode;
import io.templateworker.api.ApiException;
import io.templateworker.api.RouteGroup;
import io.templateworker.api.Routes;
import io.templateworker.api.Snowflakes;
import io.templateworker.luau.embed.Luau;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.runtime.store.StoreException;
import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TemplateSpec;
import io.templateworker.runtime.store.TemplateStore;
import io.templateworker.runtime.store.TenantId;
import io.templateworker.worker.WorkerLike;
import io.templateworker.worker.log.LogEntry;
import io.templateworker.worker.log.TenantLogBook;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guild's templates and logs through the API: {@code PUT/GET/DELETE /guilds/{guild_id}/templates/{name}},
 * {@code GET /guilds/{guild_id}/templates} and {@code GET /guilds/{guild_id}/logs}. A stored change is sent
 * to the worker that owns the guild at once ({@link WorkerLike#reloadTemplates}): the template's isolate is
 * rebuilt and it receives {@code OnStartup {reason = "updateTemplateCache"}}, with no restart.
 *
 * <p>Every route is {@link Access#GUILD}: the caller must own the guild or have ADMINISTRATOR or MANAGE_GUILD there
 * (from the guild state), or be a root user; the server checks it before the handler runs.
 */
public final class TemplateRoutes implements RouteGroup {
  private static final Logger LOG = LoggerFactory.getLogger(TemplateRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> BODY_FIELDS = Set.of("content", "events", "allowed_caps", "paused", "error_channel");
  /** Most log lines one request returns. */
  static final int MAX_LOG_LINES = TenantLogBook.PER_TENANT;

  /** The body of {@code PUT …/templates/{name}}. */
  public record TemplateBody(Map<String, String> content, List<String> events, List<String> allowed_caps,
                             Boolean paused, String error_channel) {}

  /** A stored template as the API shows it; times are RFC 3339. */
  public record TemplateView(String name, Map<String, String> content, List<String> events, List<String> allowed_caps,
                             boolean paused, String error_channel, String language, String created_at,
                             String last_updated_at) {}

  /** A template in the guild's list (without its files). */
  public record TemplateSummary(String name, List<String> events, List<String> allowed_caps, boolean paused,
                                String error_channel, String created_at, String last_updated_at) {}

  /** One line of a guild's log: {@code kind} is {@code print} or {@code error}; {@code at} is RFC 3339. */
  public record LogLine(String at, String kind, String template, String event, String message, String traceback) {}

  /** {@code GET /guilds/{guild_id}/logs}: the latest lines, oldest first. */
  public record Logs(List<LogLine> entries) {}

  private final TemplateStore templates;
  private final WorkerLike workers;
  private final TenantLogBook logs;

  public TemplateRoutes(TemplateStore templates, WorkerLike workers, TenantLogBook logs) {
    this.templates = templates;
    this.workers = workers;
    this.logs = logs;
  }

  @Override
  public String tag() {
    return "Templates";
  }

  @Override
  public void register(Routes routes) {
    routes.get("/guilds/{guild_id}/templates").summary("List a guild's templates")
        .access(Access.GUILD).response(TemplateSummary[].class).handle(this::list);
    routes.get("/guilds/{guild_id}/templates/{name}").summary("Get one template with its files")
        .access(Access.GUILD).response(TemplateView.class).handle(this::get);
    routes.put("/guilds/{guild_id}/templates/{name}")
        .summary("Create or replace a template; it runs at once (it receives OnStartup {reason = \"updateTemplateCache\"})")
        .access(Access.GUILD).request(TemplateBody.class).response(TemplateView.class).handle(this::put);
    routes.delete("/guilds/{guild_id}/templates/{name}").summary("Delete a template; it stops at once")
        .access(Access.GUILD).handle(this::delete);
    routes.get("/guilds/{guild_id}/logs").summary("A guild's recent template output (print) and errors, oldest first")
        .access(Access.GUILD).response(Logs.class)
        .queryParam("limit", Integer.class, false, "most lines to return (1 to " + MAX_LOG_LINES + ", default 100)")
        .handle(this::logs);
  }

  private void list(Context ctx) {
    TenantId guild = guild(ctx);
    List<TemplateSummary> out = new ArrayList<>();
    for (Template t : call(() -> templates.list(guild))) {
      out.add(new TemplateSummary(t.name(), t.events(), t.allowedCaps(), t.paused(), t.errorChannel(),
          String.valueOf(t.createdAt()), String.valueOf(t.lastUpdatedAt())));
    }
    ctx.json(out);
  }

  private void get(Context ctx) {
    TenantId guild = guild(ctx);
    String name = ctx.pathParam("name");
    Template t = call(() -> templates.get(guild, name));
    if (t == null) {
      throw ApiException.notFound("guild " + guild.idString() + " has no template named \"" + name + "\"");
    }
    ctx.json(view(t));
  }

  private void put(Context ctx) {
    TenantId guild = guild(ctx);
    String name = ctx.pathParam("name");
    TemplateSpec spec = spec(name, ctx.body());
    compile(spec.content());
    Template stored = call(() -> templates.get(guild, name) == null
        ? templates.create(guild, spec) : templates.update(guild, name, spec));
    reload(guild, name);
    ctx.json(view(stored));
  }

  private void delete(Context ctx) {
    TenantId guild = guild(ctx);
    String name = ctx.pathParam("name");
    if (!call(() -> templates.delete(guild, name))) {
      throw ApiException.notFound("guild " + guild.idString() + " has no template named \"" + name + "\"");
    }
    reload(guild, name);
    ctx.contentType("application/json").result("null");
  }

  private void logs(Context ctx) {
    TenantId guild = guild(ctx);
    int limit = 100;
    String raw = ctx.queryParam("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LOG_LINES) {
        throw ApiException.badRequest("limit: must be a whole number from 1 to " + MAX_LOG_LINES + ", got '" + raw + "'");
      }
    }
    List<LogLine> lines = new ArrayList<>();
    for (LogEntry e : logs.recent(guild, limit)) {
      lines.add(new LogLine(e.at().toString(), e.kind(), e.template(), e.event(), e.message(), e.traceback()));
    }
    ctx.json(new Logs(lines));
  }

  /** Tells the owning worker; the change is stored, so a worker that is down picks it up when it comes back. */
  private void reload(TenantId guild, String name) {
    workers.reloadTemplates(guild, name).whenComplete((ok, error) -> {
      if (error != null) {
        LOG.warn("guild {}: template \"{}\" is stored but its worker was not told: {}", guild.idString(), name,
            error.getMessage());
      }
    });
  }

  /** Reads the body field by field, so each error names the field and says what it must be. */
  static TemplateSpec spec(String name, String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw ApiException.badRequest("body: not valid JSON (" + why + "); expected {\"content\": {\"init.luau\":"
          + " \"...\"}, \"events\": [...], \"allowed_caps\": [...], \"paused\": false}");
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("body: expected a JSON object {content, events, allowed_caps, paused, error_channel?}");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!BODY_FIELDS.contains(field)) {
        throw ApiException.badRequest("body: unknown field \"" + field + "\" (known: content, events, allowed_caps, paused,"
            + " error_channel)");
      }
    }
    JsonNode content = root.get("content");
    if (content == null || !content.isObject()) {
      throw ApiException.badRequest("content: required, an object mapping file paths to Luau source, e.g."
          + " {\"init.luau\": \"return {}\"}");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : content.properties()) {
      if (!f.getValue().isTextual()) {
        throw ApiException.badRequest("content[\"" + f.getKey() + "\"]: expected the file's source as a string");
      }
      files.put(f.getKey(), f.getValue().textValue());
    }
    JsonNode paused = root.get("paused");
    if (paused != null && !paused.isNull() && !paused.isBoolean()) {
      throw ApiException.badRequest("paused: expected true or false");
    }
    JsonNode channel = root.get("error_channel");
    if (channel != null && !channel.isNull() && !channel.isTextual()) {
      throw ApiException.badRequest("error_channel: expected a channel id as a string, or null");
    }
    return new TemplateSpec(name, files, strings(root, "events"), strings(root, "allowed_caps"),
        paused != null && paused.asBoolean(), channel == null || channel.isNull() ? null : channel.textValue(), null);
  }

  private static List<String> strings(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw ApiException.badRequest(field + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      if (!n.get(i).isTextual()) {
        throw ApiException.badRequest(field + "[" + i + "]: expected a string, got " + n.get(i));
      }
      out.add(n.get(i).textValue());
    }
    return out;
  }

  /** Refuses a template whose Luau does not compile, with the compiler's {@code /file:line:col: message} lines. */
  static void compile(Map<String, String> files) {
    for (Map.Entry<String, String> f : files.entrySet()) {
      String path = f.getKey();
      if (!(path.endsWith(".luau") || path.endsWith(".lua")) || f.getValue() == null) {
        continue;
      }
      try {
        Luau.compile(f.getValue(), "/" + path);
      } catch (CompileError e) {
        throw ApiException.badRequest("content[\"" + path + "\"]: does not compile:\n" + e.getMessage());
      }
    }
  }

  private static TemplateView view(Template t) {
    return new TemplateView(t.name(), t.content(), t.events(), t.allowedCaps(), t.paused(), t.errorChannel(), t.language(),
        String.valueOf(t.createdAt()), String.valueOf(t.lastUpdatedAt()));
  }

  private static TenantId guild(Context ctx) {
    return TenantId.guild(Snowflakes.parse(ctx.pathParam("guild_id"), "path parameter guild_id"));
  }

  /** A store failure as an answer: bad input 400, name taken 409, absent 404, database down 503. */
  private static <T> T call(java.util.function.Supplier<T> op) {
    try {
      return op.get();
    } catch (StoreException e) {
      throw switch (e.kind()) {
        case INVALID_ARGUMENT, LIMIT_EXCEEDED -> ApiException.badRequest(e.getMessage());
        case NOT_FOUND -> ApiException.notFound(e.getMessage());
        case CONFLICT -> new ApiException(409, ApiErrorCode.BadRequest, e.getMessage());
        default -> new ApiException(503, ApiErrorCode.InternalError, "the template store is unavailable: " + e.getMessage()
            + "; retry shortly");
      };
    }
  }
}
