package io.templateworker.runtime.event;

import java.util.Collection;
import java.util.List;

/**
 * Whether an event reaches a subscriber (a template's event list, or a tenant's event filter): the list holds
 * the event name, or {@code name[scope]} for one of the event's scopes (UPSTREAM.md §7.7).
 */
public final class EventMatch {

  private EventMatch() {}

  public static boolean matches(Collection<String> subscriptions, CreateEvent event) {
    if (subscriptions.contains(event.name())) {
      return true;
    }
    List<String> scopes = event.scopes();
    for (int i = 0; i < scopes.size(); i++) {
      if (subscriptions.contains(scopedName(event.name(), scopes.get(i)))) {
        return true;
      }
    }
    return false;
  }

  /** {@code KeyExpiry[reminders]}. */
  public static String scopedName(String name, String scope) {
    return name + '[' + scope + ']';
  }
}
