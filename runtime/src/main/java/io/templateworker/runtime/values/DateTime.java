package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneRules;

/**
 * An instant seen in a time zone ({@code DateTime}): calendar fields, epoch timestamps, {@code timezone}
 * (also {@code tz}, upstream's name), {@code base_offset}/{@code dst_offset}, {@code with_timezone},
 * strftime {@code format}, {@code duration_since}; {@code dt ± TimeDelta}, {@code dt - dt} (a TimeDelta),
 * comparisons by instant, and {@code __tostring} in RFC 3339.
 *
 * <p>Unlike upstream, whose {@code timestamp_micros}/{@code timestamp_nanos} return only the sub-second part,
 * they are the timestamps the type definitions document (microseconds and nanoseconds since the epoch).
 */
public final class DateTime {
  private static final DateTimeFormatter RFC3339_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  public static final UserdataType<DateTime> TYPE = UserdataType.builder("DateTime", DateTime.class)
      .field("year", d -> (double) d.value.getYear())
      .field("month", d -> (double) d.value.getMonthValue())
      .field("day", d -> (double) d.value.getDayOfMonth())
      .field("hour", d -> (double) d.value.getHour())
      .field("minute", d -> (double) d.value.getMinute())
      .field("second", d -> (double) d.value.getSecond())
      .field("timestamp_seconds", d -> (double) d.value.toEpochSecond())
      .field("timestamp_millis", d -> (double) d.value.toInstant().toEpochMilli())
      .field("timestamp_micros", d -> d.epochNanos(1_000))
      .field("timestamp_nanos", d -> d.epochNanos(1))
      .field("timezone", d -> Timezone.wrap(d.value.getZone()))
      .field("tz", d -> Timezone.wrap(d.value.getZone()))
      .field("base_offset", d -> TimeDelta.wrap(Duration.ofSeconds(d.rules().getStandardOffset(d.instant()).getTotalSeconds())))
      .field("dst_offset", d -> TimeDelta.wrap(d.rules().getDaylightSavings(d.instant())))
      .method("with_timezone", (L, self, a) -> new Object[] {
          wrap(L, self.value.withZoneSameInstant(Timezone.arg(a, 0, "with_timezone", "timezone")))})
      .method("format", (L, self, a) -> new Object[] {LuauString.of(Strftime.format(self.value,
          HostArgs.text(a, 0, "format", "format")))})
      .method("duration_since", (L, self, a) -> new Object[] {
          TimeDelta.wrap(L, Duration.between(arg(a, 0, "duration_since", "other").toInstant(), self.instant()))})
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(check(a, 0, "__tostring").toString())})
      .metamethod("__eq", (L, a) -> new Object[] {DateTime.TYPE.is(HostArgs.arg(a, 1))
          && check(a, 0, "__eq").instant().equals(check(a, 1, "__eq").instant())})
      .metamethod("__lt", (L, a) -> new Object[] {check(a, 0, "__lt").instant().isBefore(check(a, 1, "__lt").instant())})
      .metamethod("__le", (L, a) -> new Object[] {!check(a, 0, "__le").instant().isAfter(check(a, 1, "__le").instant())})
      .metamethod("__add", (L, a) -> new Object[] {wrap(L, plus(check(a, 0, "__add").value, TimeDelta.arg(a, 1, "__add", "delta")))})
      .metamethod("__sub", DateTime::sub)
      .build();

  private final ZonedDateTime value;

  private DateTime(ZonedDateTime value) {
    this.value = value;
  }

  public ZonedDateTime value() {
    return value;
  }

  public Instant instant() {
    return value.toInstant();
  }

  public static LuauUserdata wrap(ZonedDateTime value) {
    return DateTime.TYPE.wrap(new DateTime(value));
  }

  public static LuauUserdata wrap(LuauThread L, ZonedDateTime value) {
    return DateTime.TYPE.wrap(L, new DateTime(value), 48);
  }

  /** The DateTime behind argument {@code i}, or an argument error naming {@code param}. */
  public static ZonedDateTime arg(Object[] a, int i, String fname, String param) {
    Object v = HostArgs.arg(a, i);
    if (DateTime.TYPE.is(v)) {
      return ((DateTime) ((LuauUserdata) v).payload()).value;
    }
    throw HostArgs.type(a, i, fname, param, "DateTime");
  }

  private static DateTime check(Object[] a, int i, String fname) {
    Object v = HostArgs.arg(a, i);
    if (DateTime.TYPE.is(v)) {
      return (DateTime) ((LuauUserdata) v).payload();
    }
    throw LuauError.runtime("attempt to compare or combine a DateTime with " + HostArgs.typeName(v)
        + " (" + fname + ")");
  }

  private static Object[] sub(LuauThread L, Object[] a) {
    DateTime self = check(a, 0, "__sub");
    Object other = HostArgs.arg(a, 1);
    if (DateTime.TYPE.is(other)) {
      return new Object[] {TimeDelta.wrap(L, Duration.between(((DateTime) ((LuauUserdata) other).payload()).instant(),
          self.instant()))};
    }
    return new Object[] {wrap(L, plus(self.value, TimeDelta.arg(a, 1, "__sub", "delta").negated()))};
  }

  private static ZonedDateTime plus(ZonedDateTime t, Duration d) {
    try {
      return t.plus(d);
    } catch (DateTimeException | ArithmeticException e) {
      throw LuauError.runtime("DateTime out of range");
    }
  }

  private ZoneRules rules() {
    return value.getZone().getRules();
  }

  private Object epochNanos(long unit) {
    Instant i = instant();
    try {
      return (double) Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L / unit), i.getNano() / unit);
    } catch (ArithmeticException e) {
      return null; // beyond 64 bits, as chrono's timestamp_nanos_opt
    }
  }

  /** RFC 3339 as chrono writes it: offset "+05:30" (UTC too: "+00:00"), fraction only when non-zero. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(32).append(RFC3339_SECONDS.format(value));
    int nanos = value.getNano();
    if (nanos != 0) {
      String nine = Integer.toString(1_000_000_000 + nanos).substring(1);
      sb.append('.').append(nine, 0, nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9);
    }
    int off = value.getOffset().getTotalSeconds();
    int abs = Math.abs(off);
    sb.append(off < 0 ? '-' : '+').append(String.format("%02d:%02d", abs / 3600, (abs / 60) % 60));
    if (abs % 60 != 0) {
      sb.append(String.format(":%02d", abs % 60));
    }
    return sb.toString();
  }
}
