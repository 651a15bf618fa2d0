package io.templateworker.mesophyll.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * Every frame on a Mesophyll connection. On the wire a message is a single-key map keyed by the
 * variant name (as upstream's enum encoding), whose value holds the record's fields.
 *
 * <p>Request ids ({@code reqId}) are chosen by the side that expects a reply; a {@code null} request
 * id on {@link DispatchEvent} means fire-and-forget.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = Message.Hello.class, name = "Hello"),
    @JsonSubTypes.Type(value = Message.DispatchEvent.class, name = "DispatchEvent"),
    @JsonSubTypes.Type(value = Message.RunScript.class, name = "RunScript"),
    @JsonSubTypes.Type(value = Message.DropWorker.class, name = "DropWorker"),
    @JsonSubTypes.Type(value = Message.DispatchResponse.class, name = "DispatchResponse"),
    @JsonSubTypes.Type(value = Message.Heartbeat.class, name = "Heartbeat"),
    @JsonSubTypes.Type(value = Message.DbRequest.class, name = "DbRequest"),
    @JsonSubTypes.Type(value = Message.DbResponse.class, name = "DbResponse"),
    @JsonSubTypes.Type(value = Message.ReloadTemplates.class, name = "ReloadTemplates"),
    @JsonSubTypes.Type(value = Message.TenantLog.class, name = "TenantLog"),
    @JsonSubTypes.Type(value = Message.Started.class, name = "Started"),
    @JsonSubTypes.Type(value = Message.WorkerStats.class, name = "WorkerStats"),
    @JsonSubTypes.Type(value = Message.Activate.class, name = "Activate"),
    @JsonSubTypes.Type(value = Message.TenantDispatched.class, name = "TenantDispatched"),
    @JsonSubTypes.Type(value = Message.GatewayReport.class, name = "GatewayReport"),
})
public sealed interface Message {

  /** Master → worker, first frame of every session: protocol version and how often to heartbeat. */
  record Hello(int version, long heartbeatIntervalMs) implements Message {}

  /**
   * Master → worker, on a standby session (a warm child connected with {@code standby=1} while another child
   * serves): the serving child died, this session is now the worker's live one; requests follow on it.
   */
  record Activate() implements Message {}

  /** Master → worker: dispatch an event to a tenant. {@code reqId == null} means no reply wanted. */
  record DispatchEvent(WireTenant tenant, WireEvent event, Long reqId) implements Message {}

  /** Master → worker: evaluate staff-supplied code in the tenant's VM. */
  record RunScript(WireTenant tenant, String name, String code, WireEvent event, long reqId)
      implements Message {}

  /** Master → worker: drop the tenant's VM (upstream's name, although it drops a tenant). */
  record DropWorker(WireTenant tenant, long reqId) implements Message {}

  /**
   * Master → worker: the tenant's templates changed in the store ({@code name} was created, updated or
   * deleted; null when unknown): reload them and send {@code OnStartup} to that template. Replied to with a
   * {@link DispatchResponse} once done.
   */
  record ReloadTemplates(WireTenant tenant, String name, long reqId) implements Message {}

  /**
   * Worker → master, no reply: a line of a tenant's log, kept by the master ({@code GET /guilds/{id}/logs}).
   * {@code kind} is {@code "print"} or {@code "error"}; {@code template}, {@code event} and {@code traceback}
   * may be null; {@code atMillis} is when it happened (epoch milliseconds).
   */
  record TenantLog(WireTenant tenant, String kind, String template, String event, String message, String traceback,
      long atMillis) implements Message {}

  /**
   * Worker → master, no reply: an event ran a tenant's templates, with their results (the {@code {type, id, value}}
   * list, tagged KhronosValue JSON). The master hands it to its reporter, as the thread pool does in-process (the dev
   * UI's live panel shows it). Limited per tenant by the worker, like {@link TenantLog}.
   */
  record TenantDispatched(WireTenant tenant, WireEvent event, JsonNode results) implements Message {
    public TenantDispatched {
      results = orNull(results);
    }
  }

  /**
   * Worker → master: the reply to a request. Exactly one of {@code value} (when {@code ok}) and
   * {@code error} is meaningful.
   */
  record DispatchResponse(long reqId, boolean ok,
      @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = ReplyValueDeserializer.class) JsonNode value,
      String error) implements Message {
    public DispatchResponse {
      value = orNull(value);
    }

    public static DispatchResponse ok(long reqId, JsonNode value) {
      return new DispatchResponse(reqId, true, value, null);
    }

    public static DispatchResponse err(long reqId, String error) {
      return new DispatchResponse(reqId, false, null, error);
    }
  }

  /**
   * Worker → master, no reply: the request {@code reqId} (a dispatch or script) has started running. A request
   * the worker never acknowledged when its connection ended had no effect and is delivered again to the
   * replacement worker; one that started fails with an error saying it may have run.
   */
  record Started(long reqId) implements Message {}

  /**
   * Worker → master, no reply, about once a second: the child's own metrics (live VMs, queued events, plugin calls,
   * rate-limit hits; cumulative counts), which the master exports on {@code /metrics}. Keys as in
   * {@code WorkerMetrics.childSnapshot()}.
   */
  record WorkerStats(java.util.Map<String, Long> values) implements Message {
    public WorkerStats {
      values = values == null ? java.util.Map.of() : java.util.Map.copyOf(values);
    }
  }

  /**
   * Worker → master, no reply: the gateway shards this child reads ({@code {shards: [...], user}}) — each one's status
   * and figures for {@code /bot-stats}, and its session ({@code session_id}, {@code resume_url}, {@code seq}) with the
   * bot {@code user} of its READY, which the master keeps so
   * that the child replacing a crashed one resumes the sessions instead of identifying afresh (the master hands the last
   * report back on {@code DbOps.GATEWAY_REPORT}). Sent when a session moves on, at most about ten times a second, and
   * once a second regardless.
   */
  record GatewayReport(JsonNode shards) implements Message {
    public GatewayReport {
      shards = orNull(shards);
    }
  }

  /** Worker → master, every heartbeat interval; a connection that stays silent is closed. */
  record Heartbeat() implements Message {}

  /**
   * Worker → master: a database operation the child may not run itself (it holds no credentials).
   * {@code op} names the operation (see {@link DbOps}); {@code args} carries its arguments.
   */
  record DbRequest(long reqId, String op, WireTenant tenant, JsonNode args) implements Message {
    public DbRequest {
      args = orNull(args);
    }
  }

  /** Absent JSON decodes as a JSON null node, so a Java null is stored as one too (equal either side). */
  private static JsonNode orNull(JsonNode value) {
    return value == null ? NullNode.getInstance() : value;
  }

  /** Master → worker: the reply to a {@link DbRequest}. */
  record DbResponse(long reqId, boolean ok, JsonNode value, String error) implements Message {
    public DbResponse {
      value = orNull(value);
    }

    public static DbResponse ok(long reqId, JsonNode value) {
      return new DbResponse(reqId, true, value, null);
    }

    public static DbResponse err(long reqId, String error) {
      return new DbResponse(reqId, false, null, error);
    }
  }
}
