package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

import java.time.Instant;
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
    // read in Luau's order (so the first missing field named is the same), each a C int
    int sec = field(t, "sec", 0);
    int min = field(t, "min", 0);
    int hour = field(t, "hour", 12);
    int day = field(t, "day", -1);
    int mon = field(t, "month", -1) - 1;
    int year = field(t, "year", -1) - 1900 + 1900; // as tm_year and back, with C's int wrap-around
    long time = timegm(year, mon, day, hour, min, sec);
    return StringLib.one(time == -1 ? null : (double) time);
  }

  /**
   * Luau's own timegm: a Julian day number in C int arithmetic (wrapping as C's does on overflow), so
   * out-of-range fields carry over (month 13 is January of the next year); dates before 1970 are -1.
   */
  static long timegm(int year, int mon, int day, int hour, int min, int sec) {
    int month = mon + 1;
    int a = mon % 12 < 2 ? 1 : 0; // the year starts in March
    a -= mon / 12; // out-of-range months
    int y = year + 4800 - a;
    int m = month + 12 * a - 3;
    int julianDay = day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045;
    final int epochDay = 2440588; // 1970-01-01
    if (julianDay < epochDay) {
      return -1;
    }
    long seconds = julianDay * 86400L + (hour * 3600L + min * 60L + sec);
    if (seconds < epochDay * 86400L) {
      return -1;
    }
    return seconds - epochDay * 86400L;
  }

  /** A date-table field as Luau's getfield reads it: a number (or numeric string) as a C int, or the default. */
  private static int field(LuauTable t, String key, int dflt) {
    Double d = Values.toNumber(t.rawget(LuauString.of(key)));
    if (d != null) {
      return MathLib.toInt(d);
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
