package io.templateworker.mesophyll.protocol;

/**
 * Names of the database operations a process worker asks the master to run (upstream's {@code /db/*}
 * routes, §3.4). The argument and reply shapes are fixed by the store port each one implements.
 */
public final class DbOps {
  /** Every tenant state routed to the calling worker. Reply: list of {tenant, state}. */
  public static final String LIST_TENANT_STATES = "tenant-states";
  /** Reads one tenant's state. Reply: the state or null. */
  public static final String GET_TENANT_STATE = "tenant-state-get";
  /** Upserts one tenant's state. Args: the state. */
  public static final String SET_TENANT_STATE = "tenant-state-set";
  /** Lists a tenant's templates. Reply: list of templates. */
  public static final String LIST_TEMPLATES = "templates";
  /** Tenants of the calling worker with an unpaused template listing an event. Args {event}; reply: list of {type, id}. */
  public static final String TEMPLATES_LISTENING = "templates-listening";
  /** A tenant KV operation: args {op: Get|ListScopes|Set|Delete|Find, …}. */
  public static final String KV = "kv";
  /** A public global KV operation (find/get). */
  public static final String PUBLIC_GLOBAL_KV = "public-global-kv";
  /** A global KV write (create/delete) by a tenant. */
  public static final String GLOBAL_KV = "global-kv";

  /**
   * Not a database operation: the last {@code GatewayReport} the master kept for the calling worker id (from this
   * child or the one it replaces), or null. No tenant.
   */
  public static final String GATEWAY_REPORT = "gateway-report";

  private DbOps() {}
}
