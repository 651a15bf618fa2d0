package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * The sandboxed {@code os} library: {@code clock}, {@code time}, {@code date} and {@code difftime} only.
 * {@code os.time(t)} reads the table as UTC, as Luau does; {@code os.date} formats in the C locale, in UTC
 * when the format starts with '!' and in the process's time zone otherwise.
 */
public final class OsLib {

  /** The strftime conversions Luau accepts. */
  private static final String VALID_CONVERSIONS = "aAbBcdHIjmMpSUwWxXyYzZ%";

  private OsLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable os = new LuauTable(0, 4);
    StringLib.reg(os, "clock", (L, a) -> StringLib.one(System.nanoTime() / 1e9));
    StringLib.reg(os, "time", OsLib::time);
    StringLib.reg(os, "date", OsLib::date);
    // both times go through time_t first, so fractions of a second are dropped as in C
    StringLib.reg(os, "difftime", (L, a) -> StringLib.one((double) (StringPack.toLong(Args.checkNumber(a, 0, "difftime"))
        - StringPack.toLong(Args.optNumber(a, 1, "difftime", 0)))));
    globals.rawset(LuauString.of("os"), os);
  }

  private static Object[] time(LuauThread L, Object[] a) {
    if (Args.arg(a, 0) == null) {
      return StringLib.one((double) Math.floorDiv(System.currentTimeMillis(), 1000L));
    }
    LuauTable t = Args.checkTable(a, 0, "time");
    long year = field(t, "year", -1);
    long month = field(t, "month", -1);
    long day = field(t, "day", -1);
    long hour = field(t, "hour", 12);
    long min = field(t, "min", 0);
    long sec = field(t, "sec", 0);
    try {
      // out-of-range fields carry over like C's timegm (month 13 is January of the next year)
      LocalDateTime dt = LocalDateTime.of((int) year, 1, 1, 0, 0)
          .plusMonths(month - 1).plusDays(day - 1).plusHours(hour).plusMinutes(min).plusSeconds(sec);
      return StringLib.one((double) dt.toEpochSecond(ZoneOffset.UTC));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return StringLib.one(null);
    }
  }

  private static long field(LuauTable t, String key, long dflt) {
    Double d = Values.toNumber(t.rawget(LuauString.of(key)));
    if (d != null) {
      return (long) (double) d;
    }
    if (dflt < 0) {
      throw LuauError.runtime("field '" + key + "' missing in date table");
    }
    return dflt;
  }

  private static Object[] date(LuauThread L, Object[] a) {
    byte[] fmt = Args.optString(a, 0, "date", LuauString.of("%c")).bytes();
    long when = Args.arg(a, 1) == null ? Math.floorDiv(System.currentTimeMillis(), 1000L)
        : StringPack.toLong(Args.checkNumber(a, 1, "date"));
    int start = 0;
    ZoneId zone = ZoneId.systemDefault();
    if (fmt.length > 0 && fmt[0] == '!') {
      zone = ZoneOffset.UTC;
      start = 1;
    }
    if (start == 0 && when < 0) {
      return StringLib.one(null); // Luau refuses local times before the epoch
    }
    ZonedDateTime dt;
    try {
      dt = Instant.ofEpochSecond(when).atZone(zone);
    } catch (java.time.DateTimeException e) {
      return StringLib.one(null); // gmtime/localtime fail: Luau returns nil
    }
    if (fmt.length - start == 2 && fmt[start] == '*' && fmt[start + 1] == 't') {
      LuauTable t = new LuauTable(0, 9);
      t.rawset(LuauString.of("year"), (double) dt.getYear());
      t.rawset(LuauString.of("month"), (double) dt.getMonthValue());
      t.rawset(LuauString.of("day"), (double) dt.getDayOfMonth());
      t.rawset(LuauString.of("hour"), (double) dt.getHour());
      t.rawset(LuauString.of("min"), (double) dt.getMinute());
      t.rawset(LuauString.of("sec"), (double) dt.getSecond());
      t.rawset(LuauString.of("wday"), (double) (dt.getDayOfWeek().getValue() % 7 + 1));
      t.rawset(LuauString.of("yday"), (double) dt.getDayOfYear());
      t.rawset(LuauString.of("isdst"), zone.getRules().isDaylightSavings(dt.toInstant()));
      return StringLib.one(t);
    }
    StringBuilder out = new StringBuilder();
    for (int i = start; i < fmt.length; i++) {
      int c = fmt[i] & 0xFF;
      if (c != '%') {
        out.append((char) c);
        continue;
      }
      if (i + 1 >= fmt.length) {
        out.append('%'); // a lone '%' at the end is kept as text
        continue;
      }
      int conv = fmt[++i] & 0xFF;
      if (VALID_CONVERSIONS.indexOf(conv) < 0) {
        throw Errors.badArgument(1, "date", "invalid conversion specifier");
      }
      strftime(out, (char) conv, dt, zone == ZoneOffset.UTC);
    }
    // the text is ASCII except for bytes copied from the format, which were appended one per char
    byte[] bytes = new byte[out.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) out.charAt(i);
    }
    return StringLib.one(LuauString.wrap(bytes));
  }

  private static void two(StringBuilder out, int v) {
    if (v < 10) {
      out.append('0');
    }
    out.append(v);
  }

  /** One C-locale strftime conversion. */
  static void strftime(StringBuilder out, char conv, ZonedDateTime dt, boolean utc) {
    switch (conv) {
      case 'a' -> out.append(dt.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US));
      case 'A' -> out.append(dt.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US));
      case 'b' -> out.append(dt.getMonth().getDisplayName(TextStyle.SHORT, Locale.US));
      case 'B' -> out.append(dt.getMonth().getDisplayName(TextStyle.FULL, Locale.US));
      case 'c' -> {
        // C locale: "Thu Jan  1 00:00:00 1970"
        strftime(out, 'a', dt, utc);
        out.append(' ');
        strftime(out, 'b', dt, utc);
        out.append(' ');
        int d = dt.getDayOfMonth();
        out.append(d < 10 ? " " : "").append(d).append(' ');
        strftime(out, 'X', dt, utc);
        out.append(' ').append(dt.getYear());
      }
      case 'd' -> two(out, dt.getDayOfMonth());
      case 'H' -> two(out, dt.getHour());
      case 'I' -> two(out, dt.getHour() % 12 == 0 ? 12 : dt.getHour() % 12);
      case 'j' -> {
        int y = dt.getDayOfYear();
        out.append(y < 10 ? "00" : y < 100 ? "0" : "").append(y);
      }
      case 'm' -> two(out, dt.getMonthValue());
      case 'M' -> two(out, dt.getMinute());
      case 'p' -> out.append(dt.getHour() < 12 ? "AM" : "PM");
      case 'S' -> two(out, dt.getSecond());
      case 'U' -> two(out, (dt.getDayOfYear() + 6 - dt.getDayOfWeek().getValue() % 7) / 7);
      case 'w' -> out.append(dt.getDayOfWeek().getValue() % 7);
      case 'W' -> two(out, (dt.getDayOfYear() + 6 - (dt.getDayOfWeek().getValue() + 6) % 7) / 7);
      case 'x' -> {
        two(out, dt.getMonthValue());
        out.append('/');
        two(out, dt.getDayOfMonth());
        out.append('/');
        two(out, Math.floorMod(dt.getYear(), 100));
      }
      case 'X' -> {
        two(out, dt.getHour());
        out.append(':');
        two(out, dt.getMinute());
        out.append(':');
        two(out, dt.getSecond());
      }
      case 'y' -> two(out, Math.floorMod(dt.getYear(), 100));
      case 'Y' -> out.append(dt.getYear());
      case 'z' -> {
        int secs = dt.getOffset().getTotalSeconds();
        out.append(secs < 0 ? '-' : '+');
        int m = Math.abs(secs) / 60;
        two(out, m / 60);
        two(out, m % 60);
      }
      case 'Z' -> out.append(utc ? "GMT" : dt.getZone().getDisplayName(TextStyle.SHORT, Locale.US));
      default -> out.append('%');
    }
  }
}
