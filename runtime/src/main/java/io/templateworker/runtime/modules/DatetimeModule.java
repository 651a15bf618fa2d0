package io.templateworker.runtime.modules;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.values.HostArgs;
import io.templateworker.runtime.values.I64;
import io.templateworker.runtime.values.TimeDelta;
import io.templateworker.runtime.values.Timezone;
import java.math.BigInteger;
import java.time.Duration;
import java.time.ZoneId;

/**
 * {@code @antiraid/datetime}: {@code new(tz)} (IANA names plus IST, PST/PDT, EDT), {@code UTC}, and
 * {@code timedelta_weeks/days/hours/minutes/seconds/millis/micros/nanos(n)} (n: a whole number, a decimal string
 * or an I64).
 */
final class DatetimeModule {
  private DatetimeModule() {
  }

  static LuauTable create() {
    return new ModuleTable()
        .fn("new", (L, a) -> {
          ZoneId z = Timezone.lookup(HostArgs.text(a, 0, "new", "timezone"));
          if (z == null) {
            throw LuauError.runtime("Invalid timezone");
          }
          return new Object[] {Timezone.wrap(z)};
        })
        .value("UTC", Timezone.wrap(Timezone.UTC))
        .fn("timedelta_weeks", (L, a) -> delta(a, "timedelta_weeks", "weeks", 604_800_000_000_000L, "weeks"))
        .fn("timedelta_days", (L, a) -> delta(a, "timedelta_days", "days", 86_400_000_000_000L, "days"))
        .fn("timedelta_hours", (L, a) -> delta(a, "timedelta_hours", "hours", 3_600_000_000_000L, "hours"))
        .fn("timedelta_minutes", (L, a) -> delta(a, "timedelta_minutes", "minutes", 60_000_000_000L, "minutes"))
        .fn("timedelta_seconds", (L, a) -> delta(a, "timedelta_seconds", "seconds", 1_000_000_000L, "seconds"))
        .fn("timedelta_millis", (L, a) -> delta(a, "timedelta_millis", "millis", 1_000_000L, "milliseconds"))
        .fn("timedelta_micros", (L, a) -> delta(a, "timedelta_micros", "micros", 1_000L, "microseconds"))
        .fn("timedelta_nanos", (L, a) -> delta(a, "timedelta_nanos", "nanos", 1L, "nanoseconds"))
        .build();
  }

  /** n units as a TimeDelta; beyond chrono's ±(2^63−1) ms it is upstream's "Invalid number of <unit>". */
  private static Object[] delta(Object[] a, String fname, String param, long unitNanos, String unitName) {
    long n = I64.toLong(a, 0, fname, param);
    BigInteger nanos = BigInteger.valueOf(n).multiply(BigInteger.valueOf(unitNanos));
    BigInteger[] sr = nanos.divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
    if (sr[0].bitLength() >= 64) {
      throw LuauError.runtime("Invalid number of " + unitName);
    }
    Duration d = Duration.ofSeconds(sr[0].longValue(), sr[1].longValue());
    try {
      return new Object[] {TimeDelta.wrap(d)};
    } catch (LuauError outOfRange) {
      throw LuauError.runtime("Invalid number of " + unitName);
    }
  }
}
