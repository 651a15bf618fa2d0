package io.templateworker.worker.vm;

import io.templateworker.runtime.store.Template;
import io.templateworker.runtime.store.TenantState;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events reach a tenant's VM: the union of the names the builtins framework always handles
 * ({@link #ALWAYS}; upstream's defaults used {@code Web*} names the framework does not handle, gap 18), the
 * events set through {@code Runtime:settenantstate} (the builtins' own subscriptions), and every event an
 * unpaused template lists. So no tenant is silent by accident: adding a template is enough to receive its events.
 */
public final class EventFilter {
  /** Admitted for every tenant. */
  public static final Set<String> ALWAYS = Set.of("INTERACTION_CREATE", "GetSettings", "ExecuteSetting");

  private EventFilter() {}

  /** The names (and {@code name[scope]} forms) that admit an event for a tenant with this state and these templates. */
  public static Set<String> of(TenantState state, List<Template> templates) {
    boolean any = !state.events().isEmpty();
    for (Template t : templates) {
      any |= !t.paused() && !t.events().isEmpty();
    }
    if (!any) {
      return ALWAYS;
    }
    Set<String> names = new HashSet<>(ALWAYS);
    names.addAll(state.events());
    for (Template t : templates) {
      if (!t.paused()) {
        names.addAll(t.events());
      }
    }
    return Set.copyOf(names);
  }
}
