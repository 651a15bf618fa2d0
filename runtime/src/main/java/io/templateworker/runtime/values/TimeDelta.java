package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import java.math.BigInteger;
import java.time.Duration;

/**
 * A signed span of time ({@code TimeDelta}), as upstream's chrono duration: at most ±(2^63−1) milliseconds,
 * nanosecond precision. Fields truncate toward zero ({@code (-90 s).minutes == -1}); {@code nanos} and
 * {@code micros} are nil when they do not fit in 64 bits, as upstream.
 */
public final class TimeDelta {
  /** chrono's bounds: i64 milliseconds. */
  static final Duration MAX = Duration.ofMillis(Long.MAX_VALUE);
  static final Duration MIN = Duration.ofMillis(-Long.MAX_VALUE);
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000);

  public static final UserdataType<TimeDelta> TYPE = UserdataType.builder("TimeDelta", TimeDelta.class)
      .field("nanos", t -> t.truncated(1))
      .field("micros", t -> t.truncated(1_000))
      .field("millis", t -> t.truncated(1_000_000))
      .field("seconds", t -> t.truncated(1_000_000_000))
      .field("minutes", t -> t.truncated(60_000_000_000L))
      .field("hours", t -> t.truncated(3_600_000_000_000L))
      .field("days", t -> t.truncated(86_400_000_000_000L))
      .field("weeks", t -> t.truncated(604_800_000_000_000L))
      .field("as_secs", t -> t.value.getSeconds() + t.value.getNano() / 1e9)
      .method("offset_string", (L, self, a) -> new Object[] {LuauString.of(self.offsetString())})
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(check(a, 0, "__tostring").toString())})
      .metamethod("__eq", (L, a) -> new Object[] {TimeDelta.TYPE.is(HostArgs.arg(a, 1))
          && check(a, 0, "__eq").value.equals(check(a, 1, "__eq").value)})
      .metamethod("__lt", (L, a) -> new Object[] {check(a, 0, "__lt").value.compareTo(check(a, 1, "__lt").value) < 0})
      .metamethod("__le", (L, a) -> new Object[] {check(a, 0, "__le").value.compareTo(check(a, 1, "__le").value) <= 0})
      .metamethod("__add", (L, a) -> new Object[] {wrap(L, check(a, 0, "__add").value.plus(check(a, 1, "__add").value))})
      .metamethod("__sub", (L, a) -> new Object[] {wrap(L, check(a, 0, "__sub").value.minus(check(a, 1, "__sub").value))})
      .metamethod("__unm", (L, a) -> new Object[] {wrap(L, check(a, 0, "__unm").value.negated())})
      .build();

  private final Duration value;

  private TimeDelta(Duration value) {
    this.value = value;
  }

  public Duration value() {
    return value;
  }

  /** A TimeDelta within chrono's range, or a Luau error. */
  public static TimeDelta of(Duration d) {
    if (d.compareTo(MAX) > 0 || d.compareTo(MIN) < 0) {
      throw LuauError.runtime("TimeDelta out of range (at most ±" + Long.MAX_VALUE + " milliseconds)");
    }
    return new TimeDelta(d);
  }

  public static LuauUserdata wrap(Duration d) {
    return TimeDelta.TYPE.wrap(of(d));
  }

  public static LuauUserdata wrap(LuauThread L, Duration d) {
    return TimeDelta.TYPE.wrap(L, of(d), 24);
  }

  /** The TimeDelta behind argument {@code i}, or an argument error naming {@code param}. */
  public static Duration arg(Object[] a, int i, String fname, String param) {
    Object v = HostArgs.arg(a, i);
    if (TimeDelta.TYPE.is(v)) {
      return ((TimeDelta) ((LuauUserdata) v).payload()).value;
    }
    throw HostArgs.type(a, i, fname, param, "TimeDelta");
  }

  private static TimeDelta check(Object[] a, int i, String fname) {
    Object v = HostArgs.arg(a, i);
    if (TimeDelta.TYPE.is(v)) {
      return (TimeDelta) ((LuauUserdata) v).payload();
    }
    throw LuauError.runtime("attempt to compare or combine a TimeDelta with " + HostArgs.typeName(v)
        + " (" + fname + " needs two TimeDeltas)");
  }

  private BigInteger totalNanos() {
    return BigInteger.valueOf(value.getSeconds()).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(value.getNano()));
  }

  /** The whole number of {@code unitNanos} units, truncated toward zero; nil beyond 64 bits. */
  private Object truncated(long unitNanos) {
    BigInteger q = totalNanos().divide(BigInteger.valueOf(unitNanos)); // BigInteger division truncates toward zero
    return q.bitLength() < 64 ? (Object) q.doubleValue() : null;
  }

  /** "+05:30": the sign, whole hours and the remaining minutes (negative deltas keep one leading '-'). */
  String offsetString() {
    long seconds = totalNanos().divide(NANOS_PER_SECOND).longValue();
    long abs = Math.abs(seconds);
    return String.format("%s%02d:%02d", seconds < 0 ? "-" : "+", abs / 3600, (abs / 60) % 60);
  }

  /** ISO 8601 as chrono writes it: "PT10S", "PT1.5S", "-PT90S", "P0D" for zero. */
  @Override
  public String toString() {
    if (value.isZero()) {
      return "P0D";
    }
    Duration abs = value.abs();
    StringBuilder sb = new StringBuilder(value.isNegative() ? "-PT" : "PT").append(abs.getSeconds());
    if (abs.getNano() != 0) {
      String frac = Integer.toString(1_000_000_000 + abs.getNano()).substring(1);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('S').toString();
  }
}
