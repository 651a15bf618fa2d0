package io.templateworker.runtime.values;

import io.templateworker.luau.errors.LuauError;
import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * strftime-style formatting with chrono's specifiers (what upstream's {@code DateTime:format} accepts): dates
 * ({@code %Y %C %y %m %b %B %h %d %e %a %A %w %u %U %W %G %g %V %j %D %x %F}), times ({@code %H %k %I %l %P %p
 * %M %S %f %.f %.3f %.6f %.9f %3f %6f %9f %R %T %X %r}), zones ({@code %Z %z %:z %::z %:::z}), {@code %c %+ %s
 * %t %n %%}, and the padding flags {@code -} (none), {@code _} (spaces), {@code 0} (zeros). An unknown specifier
 * is an error, as chrono's.
 */
final class Strftime {
  private static final DateTimeFormatter ZONE_ABBREVIATION = DateTimeFormatter.ofPattern("zzz", Locale.US);

  private Strftime() {
  }

  static String format(ZonedDateTime t, String fmt) {
    StringBuilder out = new StringBuilder(fmt.length() + 16);
    int i = 0;
    while (i < fmt.length()) {
      char c = fmt.charAt(i++);
      if (c != '%') {
        out.append(c);
        continue;
      }
      char pad = 0; // 0 = the specifier's default
      if (i < fmt.length() && (fmt.charAt(i) == '-' || fmt.charAt(i) == '_' || fmt.charAt(i) == '0')) {
        pad = fmt.charAt(i++);
      }
      int start = i;
      while (i < fmt.length() && (fmt.charAt(i) == ':' || fmt.charAt(i) == '.' || Character.isDigit(fmt.charAt(i)))) {
        i++;
      }
      if (i >= fmt.length()) {
        throw invalid(fmt);
      }
      String spec = fmt.substring(start, i + 1);
      i++;
      specifier(out, t, spec, pad, fmt);
    }
    return out.toString();
  }

  private static void specifier(StringBuilder out, ZonedDateTime t, String spec, char pad, String fmt) {
    switch (spec) {
      case "Y" -> year(out, t.getYear(), pad);
      case "C" -> num(out, Math.floorDiv(t.getYear(), 100), 2, '0', pad);
      case "y" -> num(out, Math.floorMod(t.getYear(), 100), 2, '0', pad);
      case "m" -> num(out, t.getMonthValue(), 2, '0', pad);
      case "b", "h" -> out.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case "B" -> out.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case "d" -> num(out, t.getDayOfMonth(), 2, '0', pad);
      case "e" -> num(out, t.getDayOfMonth(), 2, ' ', pad);
      case "a" -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
      case "A" -> out.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
      case "w" -> out.append(t.getDayOfWeek().getValue() % 7);
      case "u" -> out.append(t.getDayOfWeek().getValue());
      case "U" -> num(out, weekOfYear(t, DayOfWeek.SUNDAY), 2, '0', pad);
      case "W" -> num(out, weekOfYear(t, DayOfWeek.MONDAY), 2, '0', pad);
      case "G" -> year(out, t.get(IsoFields.WEEK_BASED_YEAR), pad);
      case "g" -> num(out, Math.floorMod(t.get(IsoFields.WEEK_BASED_YEAR), 100), 2, '0', pad);
      case "V" -> num(out, t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2, '0', pad);
      case "j" -> num(out, t.getDayOfYear(), 3, '0', pad);
      case "D", "x" -> out.append(format(t, "%m/%d/%y"));
      case "F" -> out.append(format(t, "%Y-%m-%d"));
      case "H" -> num(out, t.getHour(), 2, '0', pad);
      case "k" -> num(out, t.getHour(), 2, ' ', pad);
      case "I" -> num(out, hour12(t), 2, '0', pad);
      case "l" -> num(out, hour12(t), 2, ' ', pad);
      case "P" -> out.append(t.getHour() < 12 ? "am" : "pm");
      case "p" -> out.append(t.getHour() < 12 ? "AM" : "PM");
      case "M" -> num(out, t.getMinute(), 2, '0', pad);
      case "S" -> num(out, t.getSecond(), 2, '0', pad);
      case "f" -> out.append(nine(t));
      case ".f" -> {
        int n = t.getNano();
        if (n != 0) {
          out.append('.').append(nine(t), 0, n % 1_000_000 == 0 ? 3 : n % 1000 == 0 ? 6 : 9);
        }
      }
      case ".3f", ".6f", ".9f" -> out.append('.').append(nine(t), 0, spec.charAt(1) - '0');
      case "3f", "6f", "9f" -> out.append(nine(t), 0, spec.charAt(0) - '0');
      case "R" -> out.append(format(t, "%H:%M"));
      case "T", "X" -> out.append(format(t, "%H:%M:%S"));
      case "r" -> out.append(format(t, "%I:%M:%S %p"));
      case "Z" -> out.append(ZONE_ABBREVIATION.format(t));
      case "z" -> offset(out, t, "", 2);
      case ":z" -> offset(out, t, ":", 2);
      case "::z" -> offset(out, t, ":", 3);
      case ":::z" -> offset(out, t, ":", 1);
      case "c" -> out.append(format(t, "%a %b %e %H:%M:%S %Y"));
      case "+" -> out.append(format(t, "%Y-%m-%dT%H:%M:%S%.f%:z"));
      case "s" -> out.append(t.toEpochSecond());
      case "t" -> out.append('\t');
      case "n" -> out.append('\n');
      case "%" -> out.append('%');
      default -> throw invalid(fmt);
    }
  }

  private static LuauError invalid(String fmt) {
    return LuauError.runtime("Invalid format string: \"" + fmt + "\"");
  }

  private static int hour12(ZonedDateTime t) {
    int h = t.getHour() % 12;
    return h == 0 ? 12 : h;
  }

  private static int weekOfYear(ZonedDateTime t, DayOfWeek firstDay) {
    int dayOfYear0 = t.getDayOfYear() - 1;
    int weekday = Math.floorMod(t.getDayOfWeek().getValue() - firstDay.getValue(), 7); // 0 = firstDay
    return (dayOfYear0 + 7 - weekday) / 7;
  }

  private static String nine(ZonedDateTime t) {
    return Integer.toString(1_000_000_000 + t.get(ChronoField.NANO_OF_SECOND)).substring(1);
  }

  private static void year(StringBuilder out, int year, char pad) {
    if (year >= 0 && year <= 9999) {
      num(out, year, 4, '0', pad);
    } else {
      out.append(year > 0 ? "+" : "").append(year);
    }
  }

  private static void num(StringBuilder out, int value, int width, char dflt, char pad) {
    char fill = pad == 0 ? dflt : pad == '_' ? ' ' : pad == '0' ? '0' : 0;
    String s = Integer.toString(Math.abs(value));
    if (value < 0) {
      out.append('-');
    }
    if (fill != 0) {
      for (int k = s.length(); k < width; k++) {
        out.append(fill);
      }
    }
    out.append(s);
  }

  /** +hhmm, +hh:mm, +hh:mm:ss (parts 3) or +hh (parts 1). */
  private static void offset(StringBuilder out, ZonedDateTime t, String sep, int parts) {
    int off = t.getOffset().getTotalSeconds();
    int abs = Math.abs(off);
    out.append(off < 0 ? '-' : '+').append(String.format("%02d", abs / 3600));
    if (parts >= 2) {
      out.append(sep).append(String.format("%02d", (abs / 60) % 60));
    }
    if (parts == 3) {
      out.append(sep).append(String.format("%02d", abs % 60));
    }
  }
}
