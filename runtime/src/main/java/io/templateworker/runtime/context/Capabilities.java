package io.templateworker.runtime.context;

import java.util.List;
import java.util.Set;

/**
 * A context's capability strings (UPSTREAM.md §8.3). A context holds {@code c} if it lists {@code c} exactly
 * or lists {@code *}; there is no other pattern matching ({@code kv:*} is a literal the KV plugin interprets).
 */
public final class Capabilities {
  public static final String ALL = "*";
  /** The template loop's root context: everything. */
  public static final Capabilities ROOT = new Capabilities(List.of(ALL));

  private final List<String> list;
  private final Set<String> set;
  private final boolean all;

  public Capabilities(List<String> caps) {
    this.list = List.copyOf(caps);
    this.set = Set.copyOf(caps);
    this.all = set.contains(ALL);
  }

  public boolean has(String cap) {
    return all || set.contains(cap);
  }

  public boolean hasAny(List<String> caps) {
    for (int i = 0; i < caps.size(); i++) {
      if (has(caps.get(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The child capabilities for {@code ctx:with}: every requested capability must be held here, else a
   * {@link CapabilityException} names the first one missing.
   */
  public Capabilities subset(List<String> requested) {
    for (int i = 0; i < requested.size(); i++) {
      String cap = requested.get(i);
      if (!has(cap)) {
        throw new CapabilityException("Missing capability: " + cap
            + " (the capabilities of a derived context must be strictly a subset of its parent's " + list + ")");
      }
    }
    return new Capabilities(requested);
  }

  public List<String> asList() {
    return list;
  }

  @Override
  public String toString() {
    return list.toString();
  }
}
