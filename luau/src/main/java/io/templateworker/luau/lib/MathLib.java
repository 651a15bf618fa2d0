package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.Values;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;
import io.templateworker.luau.vm.Ops;

/**
 * The {@code math} library, as Luau defines it: C math functions, Luau's PCG32 random generator (one state
 * per VM), Perlin noise with Luau's tables and float arithmetic, and clamp, sign, round, lerp, map, isnan,
 * isinf, isfinite.
 */
public final class MathLib {

  private static final double RADIANS_PER_DEGREE = Math.PI / 180.0;

  private MathLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable m = new LuauTable(0, 48);
    StringLib.reg(m, "abs", new Num1("abs") { double apply(double x) { return Math.abs(x); } });
    StringLib.reg(m, "acos", new Num1("acos") { double apply(double x) { return domain(x, Math.acos(x)); } });
    StringLib.reg(m, "asin", new Num1("asin") { double apply(double x) { return domain(x, Math.asin(x)); } });
    StringLib.reg(m, "atan2", new Num2("atan2") { double apply(double y, double x) { return Math.atan2(y, x); } });
    StringLib.reg(m, "atan", new Num1("atan") { double apply(double x) { return Math.atan(x); } });
    StringLib.reg(m, "ceil", new Num1("ceil") { double apply(double x) { return Math.ceil(x); } });
    StringLib.reg(m, "cosh", new Num1("cosh") { double apply(double x) { return Math.cosh(x); } });
    StringLib.reg(m, "cos", new Num1("cos") { double apply(double x) { return Math.cos(x); } });
    StringLib.reg(m, "deg", new Num1("deg") { double apply(double x) { return x / RADIANS_PER_DEGREE; } });
    StringLib.reg(m, "exp", new Num1("exp") { double apply(double x) { return Math.exp(x); } });
    StringLib.reg(m, "floor", new Num1("floor") { double apply(double x) { return Math.floor(x); } });
    StringLib.reg(m, "fmod", new Num2("fmod") { double apply(double x, double y) { return x % y; } });
    StringLib.reg(m, "frexp", (L, a) -> frexp(arg(a, 0, "frexp")));
    StringLib.reg(m, "ldexp", (L, a) -> num(Math.scalb(arg(a, 0, "ldexp"), toInt(arg(a, 1, "ldexp")))));
    StringLib.reg(m, "log10", new Num1("log10") { double apply(double x) { return domain(x, Math.log10(x)); } });
    StringLib.reg(m, "log", MathLib::log);
    StringLib.reg(m, "max", new MinMax("max", true));
    StringLib.reg(m, "min", new MinMax("min", false));
    StringLib.reg(m, "modf", (L, a) -> modf(arg(a, 0, "modf")));
    StringLib.reg(m, "pow", new Num2("pow") { double apply(double x, double y) { return Ops.pow(x, y); } });
    StringLib.reg(m, "rad", new Num1("rad") { double apply(double x) { return x * RADIANS_PER_DEGREE; } });
    Pcg32 rng = new Pcg32(System.nanoTime() ^ System.identityHashCode(vm));
    StringLib.reg(m, "random", (L, a) -> rng.random(a));
    StringLib.reg(m, "randomseed", (L, a) -> {
      rng.seed(toInt(arg(a, 0, "randomseed")));
      return io.templateworker.luau.value.LuauFunction.NONE;
    });
    StringLib.reg(m, "sinh", new Num1("sinh") { double apply(double x) { return Math.sinh(x); } });
    StringLib.reg(m, "sin", new Num1("sin") { double apply(double x) { return Math.sin(x); } });
    StringLib.reg(m, "sqrt", new Num1("sqrt") { double apply(double x) { return Math.sqrt(x); } });
    StringLib.reg(m, "tanh", new Num1("tanh") { double apply(double x) { return StrictMath.tanh(x); } });
    StringLib.reg(m, "tan", new Num1("tan") { double apply(double x) { return Math.tan(x); } });
    StringLib.reg(m, "noise", MathLib::noise);
    StringLib.reg(m, "clamp", new Clamp());
    StringLib.reg(m, "sign", new Num1("sign") { double apply(double v) { return v > 0.0 ? 1.0 : v < 0.0 ? -1.0 : 0.0; } });
    StringLib.reg(m, "round", new Num1("round") { double apply(double x) { return round(x); } });
    StringLib.reg(m, "lerp", (L, a) -> num(lerp(arg(a, 0, "lerp"), arg(a, 1, "lerp"), arg(a, 2, "lerp"))));
    StringLib.reg(m, "map", (L, a) -> {
      double x = arg(a, 0, "map");
      double inMin = arg(a, 1, "map");
      double inMax = arg(a, 2, "map");
      double outMin = arg(a, 3, "map");
      double outMax = arg(a, 4, "map");
      return num(outMin + (x - inMin) * (outMax - outMin) / (inMax - inMin));
    });
    StringLib.reg(m, "isnan", (L, a) -> StringLib.one(Double.isNaN(arg(a, 0, "isnan"))));
    StringLib.reg(m, "isinf", (L, a) -> StringLib.one(Double.isInfinite(arg(a, 0, "isinf"))));
    StringLib.reg(m, "isfinite", (L, a) -> StringLib.one(Double.isFinite(arg(a, 0, "isfinite"))));
    m.rawset(LuauString.of("pi"), Math.PI);
    m.rawset(LuauString.of("huge"), Double.POSITIVE_INFINITY);
    // added in Luau 0.735
    m.rawset(LuauString.of("e"), Math.E);
    m.rawset(LuauString.of("nan"), Double.NaN);
    m.rawset(LuauString.of("phi"), 1.618033988749895);
    m.rawset(LuauString.of("sqrt2"), 1.4142135623730951);
    m.rawset(LuauString.of("tau"), 2 * Math.PI);
    globals.rawset(LuauString.of("math"), m);
  }

  private static double arg(Object[] a, int i, String fname) {
    return Args.checkNumber(a, i, fname);
  }

  private static Object[] num(double v) {
    return new Object[] {v};
  }

  /** C's (int) conversion as luaL_checkinteger does it; out-of-range values give INT_MIN as on x86. */
  /**
   * glibc's asin, acos and log10 answer a number outside their domain with a positive NaN, where the JVM gives the
   * x86 default NaN (sign bit set): the sign shows in string.format("%g"). A NaN argument passes through as is.
   */
  static double domain(double x, double r) {
    return r != r && x == x ? Double.NaN : r;
  }

  static int toInt(double d) {
    return d > -2147483649.0 && d < 2147483648.0 ? (int) d : Integer.MIN_VALUE;
  }

  private static Object[] log(LuauThread L, Object[] a) {
    double x = arg(a, 0, "log");
    if (Args.arg(a, 1) == null) {
      return num(Math.log(x));
    }
    double base = arg(a, 1, "log");
    if (base == 2.0) {
      return num(log2(x));
    }
    if (base == 10.0) {
      return num(domain(x, Math.log10(x)));
    }
    return num(Math.log(x) / Math.log(base));
  }

  /** log2 that is exact for powers of two, like C's. */
  static double log2(double x) {
    if (x > 0 && x < Double.POSITIVE_INFINITY) {
      int e = Math.getExponent(x);
      if (e >= Double.MIN_EXPONENT && x == Math.scalb(1.0, e)) {
        return e;
      }
    }
    return Math.log(x) / Math.log(2.0);
  }

  // ---- builtins compiled Luau calls without argument/result arrays (HostFunction.call1..3) ----------
  // Each registration is its own (anonymous) class, so a call site that always calls math.floor inlines
  // exactly floor's code.

  /** A function of one number. */
  abstract static class Num1 implements HostFunction {
    private final String name;

    Num1(String name) {
      this.name = name;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    abstract double apply(double x);

    @Override
    public final Object[] call(LuauThread L, Object[] a) {
      return num(apply(arg(a, 0, name)));
    }

    @Override
    public final Object call1(LuauThread L, Object x) {
      return apply(Args.number(x, 0, name));
    }
  }

  /** A function of two numbers. */
  abstract static class Num2 implements HostFunction {
    private final String name;

    Num2(String name) {
      this.name = name;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    abstract double apply(double x, double y);

    @Override
    public final Object[] call(LuauThread L, Object[] a) {
      return num(apply(arg(a, 0, name), arg(a, 1, name)));
    }

    @Override
    public final Object call2(LuauThread L, Object x, Object y) {
      return apply(Args.number(x, 0, name), Args.number(y, 1, name));
    }
  }

  /** math.min / math.max: any number of arguments, at least one. */
  static final class MinMax implements HostFunction {
    private final String name;
    private final boolean max;

    MinMax(String name, boolean max) {
      this.name = name;
      this.max = max;
    }

    @Override
    public final boolean oneResult() {
      return true;
    }

    private double pick(double r, double d) {
      return max ? (d > r ? d : r) : (d < r ? d : r);
    }

    @Override
    public Object[] call(LuauThread L, Object[] a) {
      double r = arg(a, 0, name);
      for (int i = 1; i < a.length; i++) {
        r = pick(r, arg(a, i, name));
      }
      return num(r);
    }

    @Override
    public Object call1(LuauThread L, Object x) {
      return Args.number(x, 0, name);
    }

    @Override
    public Object call2(LuauThread L, Object x, Object y) {
      double r = Args.number(x, 0, name);
      return pick(r, Args.number(y, 1, name));
    }

    @Override
    public Object call3(LuauThread L, Object x, Object y, Object z) {
      double r = Args.number(x, 0, name);
      r = pick(r, Args.number(y, 1, name));
      return pick(r, Args.number(z, 2, name));
    }
  }

  /** math.clamp(v, min, max). */
  static final class Clamp implements HostFunction {
    @Override
    public final boolean oneResult() {
      return true;
    }

    @Override
    public Object[] call(LuauThread L, Object[] a) {
      return num(clamp(arg(a, 0, "clamp"), arg(a, 1, "clamp"), arg(a, 2, "clamp")));
    }

    @Override
    public Object call3(LuauThread L, Object v, Object min, Object max) {
      return clamp(Args.number(v, 0, "clamp"), Args.number(min, 1, "clamp"), Args.number(max, 2, "clamp"));
    }
  }

  static Object[] frexp(double x) {
    if (x == 0 || Double.isNaN(x) || Double.isInfinite(x)) {
      return new Object[] {x, 0.0};
    }
    int scale = 0;
    if (Math.getExponent(x) < Double.MIN_EXPONENT) {
      x *= 0x1p54; // subnormal: normalise first
      scale = -54;
    }
    int e = Math.getExponent(x) + 1;
    return new Object[] {Math.scalb(x, -e), (double) (e + scale)};
  }

  static Object[] modf(double x) {
    double ip = Double.isInfinite(x) ? x : (x >= 0 ? Math.floor(x) : Math.ceil(x));
    double fp = Double.isInfinite(x) ? Math.copySign(0.0, x) : x - ip;
    return new Object[] {ip, fp};
  }

  /** C's round: halfway cases away from zero. */
  static double round(double x) {
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      return x;
    }
    double a = Math.abs(x);
    double t = Math.floor(a);
    if (a - t >= 0.5) {
      t += 1.0;
    }
    return Math.copySign(t, x);
  }

  /** Exact at both ends: lerp(a, b, 1) is b. */
  static double lerp(double a, double b, double t) {
    return t == 1.0 ? b : a + (b - a) * t;
  }

  private static double clamp(double v, double min, double max) {
    if (!(min <= max)) {
      throw Errors.badArgument(3, "clamp", "max must be greater than or equal to min");
    }
    double r = v < min ? min : v;
    return r > max ? max : r;
  }

  // ---------------------------------------------------------------- random

  /** PCG32 (XSH RR) with Luau's increment, seeding and range reduction. */
  static final class Pcg32 {
    private static final long MULTIPLIER = 6364136223846793005L;
    /** Luau's stream: increment 105 (PCG32_INC, forced odd). */
    static final long LUAU_INCREMENT = 105 | 1;
    private final long increment;
    private long state;

    Pcg32(long seed) {
      this(seed, LUAU_INCREMENT);
    }

    /** A generator on another stream; PCG's published test vectors use increment 109. */
    Pcg32(long seed, long increment) {
      this.increment = increment;
      seed(seed);
    }

    void seed(long seed) {
      state = 0;
      next();
      state += seed;
      next();
    }

    int next() {
      long old = state;
      state = old * MULTIPLIER + increment;
      int xorshifted = (int) (((old >>> 18) ^ old) >>> 27);
      int rot = (int) (old >>> 59);
      return Integer.rotateRight(xorshifted, rot);
    }

    Object[] random(Object[] a) {
      switch (a.length) {
        case 0 -> {
          long lo = next() & 0xFFFFFFFFL;
          long hi = next() & 0xFFFFFFFFL;
          return num(StringPack.unsignedToDouble(lo | (hi << 32)) * 0x1p-64);
        }
        case 1 -> {
          int u = toInt(arg(a, 0, "random"));
          if (!(1 <= u)) {
            throw Errors.badArgument(1, "random", "interval is empty");
          }
          long x = (u & 0xFFFFFFFFL) * (next() & 0xFFFFFFFFL);
          return num((double) (int) (1 + (x >>> 32)));
        }
        case 2 -> {
          int l = toInt(arg(a, 0, "random"));
          int u = toInt(arg(a, 1, "random"));
          if (!(l <= u)) {
            throw Errors.badArgument(2, "random", "interval is empty");
          }
          long ul = (u - l) & 0xFFFFFFFFL;
          if (ul >= 0xFFFFFFFFL) {
            throw Errors.badArgument(2, "random", "interval is too large");
          }
          long x = (ul + 1) * (next() & 0xFFFFFFFFL);
          return num((double) (int) (l + (x >>> 32)));
        }
        default -> throw LuauError.runtime("wrong number of arguments");
      }
    }
  }

  // ---------------------------------------------------------------- noise

  /** Ken Perlin's reference permutation, with the first entry repeated at the end. */
  private static final int[] PERM = {151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225, 140, 36,
      103, 30, 69, 142, 8, 99, 37, 240, 21, 10, 23, 190, 6, 148, 247, 120, 234, 75, 0, 26, 197, 62, 94, 252, 219,
      203, 117, 35, 11, 32, 57, 177, 33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171, 168, 68, 175, 74, 165, 71,
      134, 139, 48, 27, 166, 77, 146, 158, 231, 83, 111, 229, 122, 60, 211, 133, 230, 220, 105, 92, 41, 55, 46, 245,
      40, 244, 102, 143, 54, 65, 25, 63, 161, 1, 216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169, 200, 196, 135,
      130, 116, 188, 159, 86, 164, 100, 109, 198, 173, 186, 3, 64, 52, 217, 226, 250, 124, 123, 5, 202, 38, 147,
      118, 126, 255, 82, 85, 212, 207, 206, 59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213, 119, 248,
      152, 2, 44, 154, 163, 70, 221, 153, 101, 155, 167, 43, 172, 9, 129, 22, 39, 253, 19, 98, 108, 110, 79, 113,
      224, 232, 178, 185, 112, 104, 218, 246, 97, 228, 251, 34, 242, 193, 238, 210, 144, 12, 191, 179, 162, 241, 81,
      51, 145, 235, 249, 14, 239, 107, 49, 192, 214, 31, 181, 199, 106, 157, 184, 84, 204, 176, 115, 121, 50, 45, 127,
      4, 150, 254, 138, 236, 205, 93, 222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66, 215, 61, 156, 180, 151};

  /** The twelve edge gradients of improved noise, padded to sixteen. */
  private static final float[][] GRAD = {{1, 1, 0}, {-1, 1, 0}, {1, -1, 0}, {-1, -1, 0}, {1, 0, 1}, {-1, 0, 1},
      {1, 0, -1}, {-1, 0, -1}, {0, 1, 1}, {0, -1, 1}, {0, 1, -1}, {0, -1, -1}, {1, 1, 0}, {0, -1, 1}, {-1, 1, 0},
      {0, -1, -1}};

  private static Object[] noise(LuauThread L, Object[] a) {
    Double x = Values.toNumber(Args.arg(a, 0));
    Double y = Values.toNumber(Args.arg(a, 1));
    Double z = Values.toNumber(Args.arg(a, 2));
    if (x == null) {
      throw a.length == 0 ? Errors.typeMismatchMissing(1, "noise", "number") : Errors.typeMismatch(1, "noise", "number", a[0]);
    }
    if (y == null && Args.arg(a, 1) != null) {
      throw Errors.typeMismatch(2, "noise", "number", a[1]);
    }
    if (z == null && Args.arg(a, 2) != null) {
      throw Errors.typeMismatch(3, "noise", "number", a[2]);
    }
    return num(perlin((float) (double) x, y == null ? 0f : (float) (double) y, z == null ? 0f : (float) (double) z));
  }

  private static float fade(float t) {
    return t * t * t * (t * (t * 6 - 15) + 10);
  }

  private static float lerpf(float t, float a, float b) {
    return a + t * (b - a);
  }

  private static float grad(int hash, float x, float y, float z) {
    float[] g = GRAD[hash & 15];
    return g[0] * x + g[1] * y + g[2] * z;
  }

  /** C's float-to-int cast on x86: out of the int range (and NaN) it is INT_MIN, where Java saturates. */
  private static int cInt(float f) {
    return f >= -2147483648f && f < 2147483648f ? (int) f : Integer.MIN_VALUE;
  }

  static float perlin(float x, float y, float z) {
    float xflr = (float) Math.floor(x);
    float yflr = (float) Math.floor(y);
    float zflr = (float) Math.floor(z);
    int xi = cInt(xflr) & 255;
    int yi = cInt(yflr) & 255;
    int zi = cInt(zflr) & 255;
    float xf = x - xflr;
    float yf = y - yflr;
    float zf = z - zflr;
    float u = fade(xf);
    float v = fade(yf);
    float w = fade(zf);
    int[] p = PERM;
    int a = (p[xi] + yi) & 255;
    int aa = (p[a] + zi) & 255;
    int ab = (p[a + 1] + zi) & 255;
    int b = (p[xi + 1] + yi) & 255;
    int ba = (p[b] + zi) & 255;
    int bb = (p[b + 1] + zi) & 255;
    float la = lerpf(u, grad(p[aa], xf, yf, zf), grad(p[ba], xf - 1, yf, zf));
    float lb = lerpf(u, grad(p[ab], xf, yf - 1, zf), grad(p[bb], xf - 1, yf - 1, zf));
    float la1 = lerpf(u, grad(p[aa + 1], xf, yf, zf - 1), grad(p[ba + 1], xf - 1, yf, zf - 1));
    float lb1 = lerpf(u, grad(p[ab + 1], xf, yf - 1, zf - 1), grad(p[bb + 1], xf - 1, yf - 1, zf - 1));
    return lerpf(w, lerpf(v, la, lb), lerpf(v, la1, lb1));
  }
}
