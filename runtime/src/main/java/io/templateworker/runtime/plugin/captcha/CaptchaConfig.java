package io.templateworker.runtime.plugin.captcha;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.values.HostArgs;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked captcha configuration (UPSTREAM.md §8.9): {@code char_count} 1–10, at most 12 filters each valid for
 * the viewbox, viewbox dimensions 1–511, {@code set_viewbox_at_idx} below the filter count. Every error names
 * the field, e.g. {@code config.filters[2].n}.
 */
record CaptchaConfig(int charCount, List<Filter> filters, int width, int height, Integer viewboxAt) {
  static final int MAX_CHARS = 10;
  static final int MAX_FILTERS = 12;
  static final int MAX_DIMENSION = 511;
  /** Most dots, circles or noise points a filter may ask for (bounds the render work). */
  static final int MAX_ITEMS = 2000;
  private static final String FN = "ImageCaptcha.Create";

  /** One drawing step. */
  sealed interface Filter {
  }

  record Noise(double prob) implements Filter {
  }

  record Wave(double frequency, double amplitude, boolean horizontal) implements Filter {
  }

  record Grid(int xGap, int yGap) implements Filter {
  }

  record Line(float x1, float y1, float x2, float y2, int thickness, Color color) implements Filter {
  }

  record RandomLine() implements Filter {
  }

  record ColorInvert() implements Filter {
  }

  record Dot(int n, int minRadius, int maxRadius) implements Filter {
  }

  record Cow(int n, int minRadius, int maxRadius, boolean allowDuplicates, int left, int right, int top, int bottom)
      implements Filter {
  }

  static CaptchaConfig parse(LuauTable t) {
    int chars = (int) HostArgs.integer(f(t, "char_count"), 0, FN, "config.char_count", 1, MAX_CHARS);
    Object vb = t.rawget(LuauString.of("viewbox_size"));
    if (!(vb instanceof LuauTable v) || v.length() != 2) {
      throw HostArgs.bad(0, FN, "config.viewbox_size", "a list of two numbers {width, height} expected");
    }
    int w = (int) HostArgs.integer(new Object[] {v.rawget(1)}, 0, FN, "config.viewbox_size[1]", 1, MAX_DIMENSION);
    int h = (int) HostArgs.integer(new Object[] {v.rawget(2)}, 0, FN, "config.viewbox_size[2]", 1, MAX_DIMENSION);
    Object fl = t.rawget(LuauString.of("filters"));
    List<Filter> filters = new ArrayList<>();
    if (fl != null) {
      if (!(fl instanceof LuauTable list)) {
        throw HostArgs.bad(0, FN, "config.filters", "a list of filters expected");
      }
      if (list.length() > MAX_FILTERS) {
        throw HostArgs.bad(0, FN, "config.filters", "at most " + MAX_FILTERS + " filters are allowed, got " + list.length());
      }
      for (int i = 1; i <= list.length(); i++) {
        if (!(list.rawget(i) instanceof LuauTable ft)) {
          throw HostArgs.bad(0, FN, "config.filters[" + i + "]", "a filter table expected");
        }
        filters.add(filter(ft, "config.filters[" + i + "]", w, h));
      }
    }
    Integer at = null;
    Object idx = t.rawget(LuauString.of("set_viewbox_at_idx"));
    if (idx != null) {
      at = (int) HostArgs.integer(new Object[] {idx}, 0, FN, "config.set_viewbox_at_idx", 0, Math.max(0, filters.size() - 1));
      if (filters.isEmpty()) {
        throw HostArgs.bad(0, FN, "config.set_viewbox_at_idx", "must be less than the number of filters (0)");
      }
    }
    return new CaptchaConfig(chars, List.copyOf(filters), w, h, at);
  }

  private static Object[] f(LuauTable t, String key) {
    return new Object[] {t.rawget(LuauString.of(key))};
  }

  private static Filter filter(LuauTable t, String name, int w, int h) {
    Object kind = t.rawget(LuauString.of("filter"));
    String k = kind instanceof LuauString s ? s.toString() : "";
    switch (k) {
      case "Noise": {
        double p = number(t, "prob", name);
        if (p < 0 || p > 1) {
          throw HostArgs.bad(0, FN, name + ".prob", "must be between 0 and 1, got " + p);
        }
        return new Noise(p);
      }
      case "Wave": {
        double f = number(t, "f", name);
        double amp = number(t, "amp", name);
        if (Math.abs(f) > 100 || Math.abs(amp) > MAX_DIMENSION) {
          throw HostArgs.bad(0, FN, name, "f must be within ±100 and amp within ±" + MAX_DIMENSION);
        }
        Object d = t.rawget(LuauString.of("d"));
        String dir = d instanceof LuauString s ? s.toString() : "";
        if (!dir.equals("horizontal") && !dir.equals("vertical")) {
          throw HostArgs.bad(0, FN, name + ".d", "\"horizontal\" or \"vertical\" expected");
        }
        return new Wave(f, amp, dir.equals("horizontal"));
      }
      case "Grid":
        return new Grid(integer(t, "x_gap", name, 1, w), integer(t, "y_gap", name, 1, h));
      case "Line": {
        float[] p1 = point(t, "p1", name, w, h);
        float[] p2 = point(t, "p2", name, w, h);
        int thickness = integer(t, "thickness", name, 1, 64);
        Object c = t.rawget(LuauString.of("color"));
        if (!(c instanceof LuauTable ct)) {
          throw HostArgs.bad(0, FN, name + ".color", "a table {r, g, b} expected");
        }
        Color color = new Color(integer(ct, "r", name + ".color", 0, 255), integer(ct, "g", name + ".color", 0, 255),
            integer(ct, "b", name + ".color", 0, 255));
        return new Line(p1[0], p1[1], p2[0], p2[1], thickness, color);
      }
      case "RandomLine":
        return new RandomLine();
      case "ColorInvert":
        return new ColorInvert();
      case "Dot": {
        int n = integer(t, "n", name, 0, MAX_ITEMS);
        int min = integer(t, "min_radius", name, 0, Math.max(w, h));
        int max = integer(t, "max_radius", name, min, Math.max(w, h));
        return new Dot(n, min, max);
      }
      case "Cow": {
        int n = integer(t, "n", name, 0, MAX_ITEMS);
        int min = integer(t, "min_radius", name, 0, Math.max(w, h));
        int max = integer(t, "max_radius", name, min, Math.max(w, h));
        Object dup = t.rawget(LuauString.of("allow_duplicates"));
        boolean allowDuplicates = dup instanceof Boolean b && b;
        int left = 0;
        int right = w;
        int top = 0;
        int bottom = h;
        if (t.rawget(LuauString.of("geometry")) instanceof LuauTable g) {
          left = integer(g, "left", name + ".geometry", 0, w);
          right = integer(g, "right", name + ".geometry", left, w);
          top = integer(g, "top", name + ".geometry", 0, h);
          bottom = integer(g, "bottom", name + ".geometry", top, h);
        }
        return new Cow(n, min, max, allowDuplicates, left, right, top, bottom);
      }
      default:
        throw HostArgs.bad(0, FN, name + ".filter",
            "one of Noise, Wave, Grid, Line, RandomLine, ColorInvert, Dot, Cow expected, got " + (k.isEmpty() ? "nothing" : "\"" + k + "\""));
    }
  }

  private static double number(LuauTable t, String key, String name) {
    Object v = t.rawget(LuauString.of(key));
    if (v instanceof Double d && Double.isFinite(d)) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw HostArgs.type(new Object[] {v}, 0, FN, name + "." + key, "number");
  }

  private static int integer(LuauTable t, String key, String name, int min, int max) {
    return (int) HostArgs.integer(new Object[] {t.rawget(LuauString.of(key))}, 0, FN, name + "." + key, min, max);
  }

  private static float[] point(LuauTable t, String key, String name, int w, int h) {
    Object v = t.rawget(LuauString.of(key));
    if (!(v instanceof LuauTable p) || p.length() != 2) {
      throw HostArgs.bad(0, FN, name + "." + key, "a point {x, y} expected");
    }
    double x = number(p, 1, name + "." + key);
    double y = number(p, 2, name + "." + key);
    if (x < 0 || x > w || y < 0 || y > h) {
      throw HostArgs.bad(0, FN, name + "." + key, "(" + x + ", " + y + ") lies outside the " + w + "×" + h + " viewbox");
    }
    return new float[] {(float) x, (float) y};
  }

  private static double number(LuauTable t, int i, String name) {
    Object v = t.rawget(i);
    if (v instanceof Double d && Double.isFinite(d)) {
      return d;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw HostArgs.bad(0, FN, name, "coordinates must be numbers");
  }
}
