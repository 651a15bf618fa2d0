package io.templateworker.luau.lib;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauVector;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.LuauVM;

/**
 * The {@code vector} library over three-component float vectors. Arithmetic is in single precision, like
 * Luau's, so results match bit for bit.
 */
public final class VectorLib {

  private static final LuauVector ZERO = new LuauVector(0f, 0f, 0f);
  private static final LuauVector ONE = new LuauVector(1f, 1f, 1f);

  private VectorLib() {
  }

  public static void install(LuauVM vm, LuauTable globals) {
    LuauTable v = new LuauTable(0, 20);
    // z is optional by argument count, so an explicit nil is still rejected
    StringLib.reg(v, "create", (L, a) -> StringLib.one(new LuauVector(f(a, 0, "create"), f(a, 1, "create"),
        a.length >= 3 ? f(a, 2, "create") : 0f)));
    StringLib.reg(v, "magnitude", (L, a) -> StringLib.one((double) magnitude(vec(a, 0, "magnitude"))));
    StringLib.reg(v, "normalize", VectorLib::normalize);
    StringLib.reg(v, "cross", (L, a) -> StringLib.one(cross(vec(a, 0, "cross"), vec(a, 1, "cross"))));
    StringLib.reg(v, "dot", (L, a) -> StringLib.one((double) dot(vec(a, 0, "dot"), vec(a, 1, "dot"))));
    StringLib.reg(v, "angle", VectorLib::angle);
    StringLib.reg(v, "floor", (L, a) -> {
      LuauVector x = vec(a, 0, "floor");
      return StringLib.one(new LuauVector((float) Math.floor(x.x()), (float) Math.floor(x.y()), (float) Math.floor(x.z())));
    });
    StringLib.reg(v, "ceil", (L, a) -> {
      LuauVector x = vec(a, 0, "ceil");
      return StringLib.one(new LuauVector((float) Math.ceil(x.x()), (float) Math.ceil(x.y()), (float) Math.ceil(x.z())));
    });
    StringLib.reg(v, "abs", (L, a) -> {
      LuauVector x = vec(a, 0, "abs");
      return StringLib.one(new LuauVector(Math.abs(x.x()), Math.abs(x.y()), Math.abs(x.z())));
    });
    StringLib.reg(v, "sign", (L, a) -> {
      LuauVector x = vec(a, 0, "sign");
      return StringLib.one(new LuauVector(sign(x.x()), sign(x.y()), sign(x.z())));
    });
    StringLib.reg(v, "clamp", VectorLib::clamp);
    StringLib.reg(v, "lerp", VectorLib::lerp);
    StringLib.reg(v, "max", (L, a) -> StringLib.one(minMax(a, "max", true)));
    StringLib.reg(v, "min", (L, a) -> StringLib.one(minMax(a, "min", false)));
    v.rawset(LuauString.of("zero"), ZERO);
    v.rawset(LuauString.of("one"), ONE);
    globals.rawset(LuauString.of("vector"), v);
  }

  private static float f(Object[] a, int i, String fname) {
    return (float) Args.checkNumber(a, i, fname);
  }

  static LuauVector vec(Object[] a, int i, String fname) {
    if (i < a.length && a[i] instanceof LuauVector v) {
      return v;
    }
    throw i >= a.length ? Errors.typeMismatchMissing(i + 1, fname, "vector") : Errors.typeMismatch(i + 1, fname, "vector", a[i]);
  }

  private static float sign(float x) {
    return x > 0 ? 1f : x < 0 ? -1f : 0f;
  }

  static float dot(LuauVector a, LuauVector b) {
    return a.x() * b.x() + a.y() * b.y() + a.z() * b.z();
  }

  static float magnitude(LuauVector v) {
    return (float) Math.sqrt(dot(v, v));
  }

  static LuauVector cross(LuauVector a, LuauVector b) {
    return new LuauVector(a.y() * b.z() - a.z() * b.y(), a.z() * b.x() - a.x() * b.z(), a.x() * b.y() - a.y() * b.x());
  }

  private static Object[] normalize(LuauThread L, Object[] a) {
    LuauVector v = vec(a, 0, "normalize");
    float magSq = dot(v, v);
    if (magSq == 0.0f) {
      throw LuauError.runtime("cannot normalize a zero-length vector");
    }
    float inv = 1.0f / (float) Math.sqrt(magSq);
    return StringLib.one(new LuauVector(v.x() * inv, v.y() * inv, v.z() * inv));
  }

  private static Object[] angle(LuauThread L, Object[] a) {
    LuauVector x = vec(a, 0, "angle");
    LuauVector y = vec(a, 1, "angle");
    LuauVector axis = a.length > 2 && a[2] != null ? vec(a, 2, "angle") : null;
    LuauVector c = cross(x, y);
    double sinA = Math.sqrt(dot(c, c));
    double cosA = dot(x, y);
    double angle = Math.atan2(sinA, cosA);
    if (axis != null && dot(c, axis) < 0) {
      angle = -angle;
    }
    return StringLib.one(angle);
  }

  private static Object[] clamp(LuauThread L, Object[] a) {
    LuauVector v = vec(a, 0, "clamp");
    LuauVector lo = vec(a, 1, "clamp");
    LuauVector hi = vec(a, 2, "clamp");
    if (!(lo.x() <= hi.x())) {
      throw Errors.badArgument(3, "clamp", "max.x must be greater than or equal to min.x");
    }
    if (!(lo.y() <= hi.y())) {
      throw Errors.badArgument(3, "clamp", "max.y must be greater than or equal to min.y");
    }
    if (!(lo.z() <= hi.z())) {
      throw Errors.badArgument(3, "clamp", "max.z must be greater than or equal to min.z");
    }
    return StringLib.one(new LuauVector(clampf(v.x(), lo.x(), hi.x()), clampf(v.y(), lo.y(), hi.y()),
        clampf(v.z(), lo.z(), hi.z())));
  }

  private static float clampf(float v, float lo, float hi) {
    float r = v < lo ? lo : v;
    return r > hi ? hi : r;
  }

  private static LuauVector minMax(Object[] a, String fname, boolean max) {
    LuauVector r = vec(a, 0, fname);
    float x = r.x();
    float y = r.y();
    float z = r.z();
    for (int i = 1; i < a.length; i++) {
      LuauVector b = vec(a, i, fname);
      if (max) {
        x = b.x() > x ? b.x() : x;
        y = b.y() > y ? b.y() : y;
        z = b.z() > z ? b.z() : z;
      } else {
        x = b.x() < x ? b.x() : x;
        y = b.y() < y ? b.y() : y;
        z = b.z() < z ? b.z() : z;
      }
    }
    return new LuauVector(x, y, z);
  }

  /** Per component, exact at t == 1 like math.lerp, in single precision. */
  private static Object[] lerp(LuauThread L, Object[] a) {
    LuauVector x = vec(a, 0, "lerp");
    LuauVector y = vec(a, 1, "lerp");
    float t = (float) Args.checkNumber(a, 2, "lerp");
    if (t == 1.0f) {
      return StringLib.one(y);
    }
    return StringLib.one(new LuauVector(x.x() + (y.x() - x.x()) * t, x.y() + (y.y() - x.y()) * t,
        x.z() + (y.z() - x.z()) * t));
  }
}
