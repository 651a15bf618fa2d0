package io.templateworker.luau.diff;

import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  static final List<Explained> ALL = List.of(
      new Explained("libm-rounding", "math functions and ^ come from the JVM, not glibc: a result may differ in the "
          + "last bit (acos, sin, pow), both within the 1-ulp error C allows", KnownDifferences::onlyLastBitsDiffer));

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?");

  /** Same stderr and status, and every stdout line the same apart from numbers at most 4 ulps apart. */
  static boolean onlyLastBitsDiffer(DiffRunner.Mismatch m) {
    if (!m.reference().stderr().equals(m.ours().stderr()) || m.reference().status() != m.ours().status()) {
      return false;
    }
    String[] r = m.reference().stdout().split("\n", -1);
    String[] o = m.ours().stdout().split("\n", -1);
    if (r.length != o.length) {
      return false;
    }
    for (int i = 0; i < r.length; i++) {
      if (!r[i].equals(o[i]) && !closeNumbers(r[i], o[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean closeNumbers(String a, String b) {
    if (!NUMBER.matcher(a).replaceAll("#").equals(NUMBER.matcher(b).replaceAll("#"))) {
      return false;
    }
    Matcher x = NUMBER.matcher(a);
    Matcher y = NUMBER.matcher(b);
    while (x.find() && y.find()) {
      double p = Double.parseDouble(x.group());
      double q = Double.parseDouble(y.group());
      if (p != q && (Math.signum(p) != Math.signum(q)
          || Math.abs(Double.doubleToLongBits(p) - Double.doubleToLongBits(q)) > 4)) {
        return false;
      }
    }
    return true;
  }

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
