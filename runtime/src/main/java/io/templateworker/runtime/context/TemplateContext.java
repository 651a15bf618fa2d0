package io.templateworker.runtime.context;

import io.templateworker.runtime.event.CreateEvent;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.store.TenantId;
import java.util.List;

/**
 * The {@code ctx} a template handler receives (UPSTREAM.md §8.2): the tenant, the event, the capabilities,
 * the services and the bot user. {@link #with} derives a child context whose capabilities must be a subset
 * of this one's. Unlike upstream (gap 16), a child never shares plugin instances with its parent, so a
 * restricted template cannot reach executors created under the root's {@code *}.
 */
public final class TemplateContext {
  private final TenantId tenant;
  private final CreateEvent event;
  private final Capabilities capabilities;
  private final TenantServices services;
  private final KhronosValue currentUser;

  public TemplateContext(TenantId tenant, CreateEvent event, Capabilities capabilities, TenantServices services,
      KhronosValue currentUser) {
    this.tenant = tenant;
    this.event = event;
    this.capabilities = capabilities;
    this.services = services;
    this.currentUser = currentUser == null ? KhronosValue.Null.INSTANCE : currentUser;
  }

  /** A root context (capabilities {@code *}) for an event. */
  public static TemplateContext root(TenantId tenant, CreateEvent event, TenantServices services, KhronosValue currentUser) {
    return new TemplateContext(tenant, event, Capabilities.ROOT, services, currentUser);
  }

  public TenantId tenant() {
    return tenant;
  }

  public CreateEvent event() {
    return event;
  }

  public Capabilities capabilities() {
    return capabilities;
  }

  public List<String> allowedCaps() {
    return capabilities.asList();
  }

  public boolean hasCap(String cap) {
    return capabilities.has(cap);
  }

  public boolean hasAnyCap(List<String> caps) {
    return capabilities.hasAny(caps);
  }

  public TenantServices services() {
    return services;
  }

  public KhronosValue currentUser() {
    return currentUser;
  }

  /**
   * {@code ctx:with{capabilities, event?}}: a child context with the requested capabilities (each must be
   * held here) and, if given, another event.
   */
  public TemplateContext with(List<String> caps, CreateEvent newEvent) {
    return new TemplateContext(tenant, newEvent == null ? event : newEvent, capabilities.subset(caps), services, currentUser);
  }
}
