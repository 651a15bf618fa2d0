package io.templateworker.luau.diff;

import java.util.List;
import java.util.function.Predicate;

/**
 * Differences from the reference CLI that are understood and accepted, each with its reason. A mismatch the
 * harness finds is "explained" when one of these recognises it; anything else is a bug to fix. Keep the list
 * short: the generator avoids what cannot be compared (hash iteration order, addresses, clocks), so an entry
 * here is a deliberate decision, not a way to silence the harness.
 */
final class KnownDifferences {
  /** An accepted difference: {@code id}, why it is accepted, and how to recognise it. */
  record Explained(String id, String reason, Predicate<DiffRunner.Mismatch> matches) {
  }

  static final List<Explained> ALL = List.of();

  private KnownDifferences() {
  }

  static Explained explain(DiffRunner.Mismatch m) {
    for (Explained e : ALL) {
      if (e.matches().test(m)) {
        return e;
      }
    }
    return null;
  }
}
