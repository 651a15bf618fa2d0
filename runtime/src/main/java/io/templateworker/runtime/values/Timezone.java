package io.templateworker.runtime.values;

import io.templateworker.luau.embed.UserdataType;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Set;

/**
 * An IANA time zone ({@code Timezone}) with upstream's constructors of {@link DateTime}s: {@code now},
 * {@code fromString}, {@code fromTime[Millis|Micros|Nanos]}, {@code utcToTz}, {@code tzToUtc},
 * {@code timeUtcToTz}, {@code timeTzToUtc}; {@code name}; {@code __eq}, {@code __tostring}.
 */
public final class Timezone {
  private static final Set<String> IANA = ZoneId.getAvailableZoneIds();
  public static final ZoneId UTC = ZoneId.of("UTC");

  public static final UserdataType<Timezone> TYPE = UserdataType.builder("Timezone", Timezone.class)
      .field("name", z -> LuauString.of(z.zone.getId()))
      .method("now", (L, self, a) -> dt(L, ZonedDateTime.now(self.zone)))
      .method("fromString", (L, self, a) -> dt(L, parse(HostArgs.text(a, 0, "fromString", "date"), self.zone)))
      .method("fromTime", (L, self, a) -> fromEpoch(L, self, a, "fromTime", 1_000_000_000L))
      .method("fromTimeMillis", (L, self, a) -> fromEpoch(L, self, a, "fromTimeMillis", 1_000_000L))
      .method("fromTimeMicros", (L, self, a) -> fromEpoch(L, self, a, "fromTimeMicros", 1_000L))
      .method("fromTimeNanos", (L, self, a) -> fromEpoch(L, self, a, "fromTimeNanos", 1L))
      .method("utcToTz", (L, self, a) -> new Object[] {
          DateTime.wrap(L, local(a, "utcToTz").atZone(UTC).withZoneSameInstant(self.zone)), null})
      .method("tzToUtc", Timezone::tzToUtc)
      .method("timeUtcToTz", (L, self, a) -> dt(L, withTime(ZonedDateTime.now(UTC), a, "timeUtcToTz")
          .withZoneSameInstant(self.zone)))
      .method("timeTzToUtc", (L, self, a) -> dt(L, withTime(ZonedDateTime.now(self.zone), a, "timeTzToUtc")
          .withZoneSameInstant(UTC)))
      .metamethod("__tostring", (L, a) -> new Object[] {LuauString.of(Timezone.TYPE.check(a, 0, "__tostring").zone.getId())})
      .metamethod("__eq", (L, a) -> new Object[] {Timezone.TYPE.is(HostArgs.arg(a, 1))
          && Timezone.TYPE.check(a, 0, "__eq").zone.equals(Timezone.TYPE.check(a, 1, "__eq").zone)})
      .build();

  private final ZoneId zone;

  private Timezone(ZoneId zone) {
    this.zone = zone;
  }

  public ZoneId zone() {
    return zone;
  }

  public static LuauUserdata wrap(ZoneId zone) {
    return Timezone.TYPE.wrap(new Timezone(zone));
  }

  /**
   * The zone named {@code name}: an IANA name ("Asia/Kolkata", "UTC", "EST"), or one of upstream's shortcuts
   * IST (Asia/Kolkata), PST/PDT (America/Los_Angeles), EDT (America/New_York). Null when unknown.
   */
  public static ZoneId lookup(String name) {
    switch (name) {
      case "UTC":
        return UTC;
      case "IST":
        return ZoneId.of("Asia/Kolkata");
      case "PST", "PDT":
        return ZoneId.of("America/Los_Angeles");
      case "EDT":
        return ZoneId.of("America/New_York");
      default:
        break;
    }
    if (IANA.contains(name)) {
      return ZoneId.of(name);
    }
    String alias = ZoneId.SHORT_IDS.get(name);
    if (alias != null && name.length() == 3 && (name.equals("EST") || name.equals("MST") || name.equals("HST"))) {
      // tzdata's fixed-offset legacy zones EST/MST/HST (chrono-tz knows them; the JDK only as short ids)
      return ZoneId.of(name, ZoneId.SHORT_IDS);
    }
    return null;
  }

  /** The zone of an IANA name as stored in a KhronosValue, keeping its spelling (UTC stays "UTC"). */
  public static ZoneId forName(String name) {
    ZoneId z = lookup(name);
    if (z == null) {
      throw LuauError.runtime("Invalid timezone");
    }
    return z;
  }

  /** The Timezone behind argument {@code i}, or an argument error naming {@code param}. */
  public static ZoneId arg(Object[] a, int i, String fname, String param) {
    Object v = HostArgs.arg(a, i);
    if (Timezone.TYPE.is(v)) {
      return ((Timezone) ((LuauUserdata) v).payload()).zone;
    }
    throw HostArgs.type(a, i, fname, param, "Timezone");
  }

  private static Object[] dt(LuauThread L, ZonedDateTime t) {
    return new Object[] {DateTime.wrap(L, t)};
  }

  /** chrono's RFC 3339 parse (a 'T' or a space between date and time, 'Z' or an offset), kept in this zone. */
  static ZonedDateTime parse(String text, ZoneId zone) {
    String s = text.trim();
    try {
      return OffsetDateTime.parse(s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s,
          DateTimeFormatter.ISO_OFFSET_DATE_TIME).atZoneSameInstant(zone);
    } catch (DateTimeParseException e) {
      throw LuauError.runtime("Invalid date: " + e.getMessage());
    }
  }

  private static Object[] fromEpoch(LuauThread L, Timezone self, Object[] a, String fname, long nanosPerUnit) {
    long v = I64.toLong(a, 0, fname, "time");
    Instant instant;
    try {
      long seconds = Math.floorDiv(v, 1_000_000_000L / nanosPerUnit);
      long rest = Math.floorMod(v, 1_000_000_000L / nanosPerUnit);
      instant = Instant.ofEpochSecond(seconds, rest * nanosPerUnit);
      return dt(L, instant.atZone(self.zone));
    } catch (DateTimeException | ArithmeticException e) {
      throw LuauError.runtime("Invalid time (might exceed bounds?)");
    }
  }

  private static LocalDateTime local(Object[] a, String fname) {
    int year = (int) HostArgs.integer(a, 0, fname, "year", -262_143, 262_142);
    int month = (int) HostArgs.integer(a, 1, fname, "month", 0, 0xffff_ffffL);
    int day = (int) HostArgs.integer(a, 2, fname, "day", 0, 0xffff_ffffL);
    int hour = (int) HostArgs.integer(a, 3, fname, "hours", 0, 0xffff_ffffL);
    int minute = (int) HostArgs.integer(a, 4, fname, "minutes", 0, 0xffff_ffffL);
    int second = (int) HostArgs.integer(a, 5, fname, "secs", 0, 0xffff_ffffL);
    HostArgs.optBoolean(a, 6, fname, "all", false);
    try {
      return LocalDateTime.of(year, month, day, hour, minute, second);
    } catch (DateTimeException e) {
      throw LuauError.runtime("Invalid date");
    }
  }

  /** A local time of this zone in UTC; ambiguous (DST fold) times give the earlier, or both with {@code all}. */
  private static Object[] tzToUtc(LuauThread L, Timezone self, Object[] a) {
    LocalDateTime local = local(a, "tzToUtc");
    boolean all = HostArgs.optBoolean(a, 6, "tzToUtc", "all", false);
    ZoneRules rules = self.zone.getRules();
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.isEmpty()) {
      throw LuauError.runtime("Invalid date");
    }
    Object first = DateTime.wrap(L, local.atOffset(offsets.get(0)).atZoneSameInstant(UTC));
    Object second = all && offsets.size() > 1 ? DateTime.wrap(L, local.atOffset(offsets.get(1)).atZoneSameInstant(UTC)) : null;
    return new Object[] {first, second};
  }

  private static ZonedDateTime withTime(ZonedDateTime now, Object[] a, String fname) {
    int hour = (int) HostArgs.integer(a, 0, fname, "hours", 0, 0xffff_ffffL);
    int minute = (int) HostArgs.integer(a, 1, fname, "minutes", 0, 0xffff_ffffL);
    int second = (int) HostArgs.integer(a, 2, fname, "secs", 0, 0xffff_ffffL);
    try {
      return now.withHour(hour).withMinute(minute).withSecond(second);
    } catch (DateTimeException e) {
      throw LuauError.runtime("Invalid time");
    }
  }
}
