package io.templateworker.luau.jit;

import java.util.Random;

/**
 * Generates small random Luau programs for the interpreter/JIT parity test. Each program is a prelude (result
 * formatting, a metatable-rich value type V) plus random "cases": functions with their own locals (so the JIT
 * may keep some as doubles), run under pcall so a failing case still contributes its error message.
 * The program returns every emitted value as one string. Output never depends on table addresses.
 */
final class ProgramGenerator {
  static final String PRELUDE = """
      local out = {}
      local VM = {}
      local function V(x) return setmetatable({v = x}, VM) end
      local function show(v)
        local t = typeof(v)
        if t == "number" then
          -- the sign of a NaN is not reproducible on the JVM (HotSpot may commute operands), so it is not compared;
        -- not tested with v ~= v: the interpreter wrongly finds a boxed NaN equal to itself
        local s = string.format("%.17g", v)
        if string.find(s, "nan") then return "nan" end
        if v == 0 then return if 1 / v < 0 then "-0" else "0" end
          return s
        elseif t == "string" then return string.format("%q", v)
        elseif t == "table" then
          if getmetatable(v) == VM then return "V(" .. show(rawget(v, "v")) .. ")" end
          return "table#" .. rawlen(v)
        elseif t == "function" then return "function"
        end
        return t .. ":" .. tostring(v)
      end
      local function emit(...)
        local n = select("#", ...)
        local parts = {}
        for i = 1, n do parts[i] = show((select(i, ...))) end
        out[#out + 1] = n .. ":" .. table.concat(parts, ",")
      end
      local function id(...) return ... end
      local function val(x)
        if type(x) == "table" then return rawget(x, "v") or 0 end
        return tonumber(x) or 0
      end
      VM.__add = function(a, b) return V(val(a) + val(b)) end
      VM.__sub = function(a, b) return V(val(a) - val(b)) end
      VM.__mul = function(a, b) return V(val(a) * val(b)) end
      VM.__div = function(a, b) return V(val(a) / val(b)) end
      VM.__mod = function(a, b) return V(val(a) % val(b)) end
      VM.__pow = function(a, b) return V(val(a) ^ val(b)) end
      VM.__unm = function(a) return V(-val(a)) end
      VM.__lt = function(a, b) return val(a) < val(b) end
      VM.__le = function(a, b) return val(a) <= val(b) end
      VM.__eq = function(a, b) return val(a) == val(b) end
      VM.__concat = function(a, b) return "<" .. show(val(a)) .. "|" .. show(val(b)) .. ">" end
      VM.__len = function(a) return 40 + val(a) end
      VM.__call = function(self, ...) return select("#", ...), val(self), ... end
      VM.__index = function(t, k) if k == "get" then return function(self, d) return val(self) + (d or 0) end end return k end
      VM.__newindex = function(t, k, v) rawset(t, "last", tostring(k)) end
      VM.__iter = function(t) local i = 0 return function() i += 1 if i <= 3 then return i, i * val(t) end return nil end end
      VM.__tostring = function(a) return "V" .. show(val(a)) end
      local up1, up2 = 1, "2"
      local tbl = {f = 1, s = "x", 10, 20, 30}
      local proxy = setmetatable({}, {__index = tbl, __newindex = function(t, k, v) rawset(tbl, k, v) end})
      local function multi(n, ...) if n <= 0 then return ... end return n, multi(n - 1, ...) end
      """;

  private static final String[] NUMS = {"0", "1", "2", "3", "-1", "0.5", "-2.5", "10", "1e300", "-0", "(0/0)",
      "math.huge", "-math.huge", "7", "0x10", "1/3", "2^53", "-7"};
  private static final String[] OTHERS = {"\"10\"", "\"0x1A\"", "\" 3 \"", "\"abc\"", "\"1e2\"", "\"\"", "1i",
      "5i", "-3i", "nil", "true", "false", "V(3)", "V(-0.5)", "V(nil)", "up1", "up2", "tbl.f", "proxy.s",
      "tbl[2]", "#tbl", "#\"abc\"", "#V(2)", "id(4, 5)", "multi(2)", "V(1).zz", "V(2):get(1)", "V(5)(1, nil)"};
  private static final String[] ARITH = {"+", "-", "*", "/", "//", "%", "^"};
  private static final String[] CMP = {"==", "~=", "<", "<=", ">", ">="};
  private static final String[] COMPOUND = {"+=", "-=", "*=", "/=", "//=", "%=", "^=", "..="};
  private static final String[] STEPS = {"1", "-1", "0.5", "-0.25", "2", "0", "(0/0)", "3", "-2", "1e-300 + 1"};
  private static final String[] BOUNDS = {"1", "3", "-2", "0", "5", "2.5", "-0", "\"3\"", "nil", "math.huge",
      "(0/0)", "V(1)", "n1", "\"x\""};

  private final Random rnd;
  private final StringBuilder sb = new StringBuilder();
  private int indent;
  private int loopDepth;
  private int guards;
  private String loopVar;

  ProgramGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  private boolean chance(int percent) {
    return rnd.nextInt(100) < percent;
  }

  private void line(String s) {
    sb.append("  ".repeat(indent)).append(s).append('\n');
  }

  String program() {
    sb.append(PRELUDE);
    int cases = 2 + rnd.nextInt(4);
    for (int c = 0; c < cases; c++) {
      int kind = rnd.nextInt(10);
      String name = "case" + c;
      switch (kind) {
        case 0 -> varargCase(name);
        case 1 -> iterCase(name);
        case 2 -> closureCase(name);
        case 3 -> methodCase(name);
        default -> randomCase(name);
      }
      line("emit(\"" + name + "\", pcall(" + name + "))");
    }
    line("emit(up1, up2, tbl.f, tbl.s, tbl[1], tbl.q, rawget(tbl, 4))");
    line("return table.concat(out, \"\\n\")");
    return sb.toString();
  }

  // ---- expressions

  /** A number for certain, built only from numbers and numeric locals: candidates for unboxed JVM doubles. */
  String numExpr(int depth) {
    if (depth <= 0 || chance(30)) {
      int r = rnd.nextInt(10);
      if (r < 4) {
        return pick(NUMS);
      }
      if (r < 6 && loopVar != null) {
        return loopVar;
      }
      return r < 8 ? "n1" : "n2";
    }
    return switch (rnd.nextInt(5)) {
      case 0 -> "- " + numExpr(depth - 1);
      case 1 -> "(" + numExpr(depth - 1) + ")";
      default -> numExpr(depth - 1) + " " + pick(ARITH) + " " + numExpr(depth - 1);
    };
  }

  String leaf() {
    int r = rnd.nextInt(10);
    if (r < 3) {
      return pick(NUMS);
    }
    if (r < 6) {
      return pick(OTHERS);
    }
    if (r < 7 && loopVar != null) {
      return loopVar;
    }
    return switch (rnd.nextInt(4)) {
      case 0 -> "n1";
      case 1 -> "n2";
      case 2 -> "m1";
      default -> "m2";
    };
  }

  String expr(int depth) {
    if (depth <= 0 || chance(25)) {
      return leaf();
    }
    return switch (rnd.nextInt(14)) {
      case 0, 1, 2 -> expr(depth - 1) + " " + pick(ARITH) + " " + expr(depth - 1);
      case 3 -> "- " + expr(depth - 1);
      case 4 -> "(" + compare(expr(depth - 1), expr(depth - 1)) + ")";
      case 5 -> "(" + expr(depth - 1) + " and " + expr(depth - 1) + ")";
      case 6 -> "(" + expr(depth - 1) + " or " + expr(depth - 1) + ")";
      case 7 -> "not " + expr(depth - 1);
      case 8 -> "(if " + expr(depth - 1) + " then " + expr(depth - 1) + " else " + expr(depth - 1) + ")";
      case 9 -> "(" + expr(depth - 1) + " .. " + expr(depth - 1) + ")";
      case 10 -> numExpr(depth);
      case 11 -> "#" + pick(new String[] {"\"hello\"", "tbl", "V(1)", "m1", "{1, 2, nil, 4}"});
      case 12 -> "select(\"#\", " + expr(depth - 1) + ", multi(" + rnd.nextInt(3) + "))";
      default -> "`<{" + expr(depth - 1) + "}|{" + numExpr(depth - 1) + "}>`";
    };
  }

  /**
   * {@code a op b}. A local compared with itself is avoided: the interpreter finds a boxed NaN equal to itself
   * (a known engine bug, see JitBehaviourTest) while unboxed compiled code does not.
   */
  private String compare(String a, String b) {
    String op = pick(CMP);
    if (a.equals(b) && (op.equals("==") || op.equals("~="))) {
      b = "(" + b + ") * 1";
    }
    return a + " " + op + " " + b;
  }

  String cond() {
    return switch (rnd.nextInt(4)) {
      case 0 -> compare(numExpr(1), numExpr(1));
      case 1 -> expr(2);
      case 2 -> "not (" + expr(1) + ")";
      default -> numExpr(1) + " < " + numExpr(1) + " and " + expr(1);
    };
  }

  // ---- statements

  private void randomCase(String name) {
    line("local function " + name + "()");
    indent++;
    line("local n1, n2 = " + pick(NUMS) + ", " + pick(NUMS));
    line("local m1, m2 = " + leafNoLocals() + ", " + leafNoLocals());
    line("local t = {f = 1, g = \"s\"}");
    int n = 3 + rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      stmt(2);
    }
    line("return n1, n2, m1, m2, t.f, t.g");
    indent--;
    line("end");
  }

  private String leafNoLocals() {
    return chance(50) ? pick(NUMS) : pick(OTHERS);
  }

  private void stmt(int depth) {
    int r = rnd.nextInt(depth > 0 ? 16 : 9);
    switch (r) {
      case 0 -> line((chance(50) ? "n1" : "n2") + " = " + numExpr(3));
      case 1 -> line((chance(50) ? "m1" : "m2") + " = " + expr(3));
      case 2, 3 -> line("emit(" + expr(3) + ")");
      case 4 -> {
        String target = pick(new String[] {"n1", "n2", "m1", "up1", "up2", "t.f", "t.g", "t[\"f\"]", "tbl.f",
            "proxy.q", "m2"});
        String op = pick(COMPOUND);
        String rhs = target.startsWith("n") && !op.equals("..=") && chance(70) ? numExpr(2) : expr(2);
        line(target + " " + op + " " + rhs);
      }
      case 5 -> line(pick(new String[] {"n1, n2 = n2, n1", "m1, n1 = n1, m1", "n1, m1, n2 = multi(2)",
          "m1, m2 = m2, m1", "n1, n2 = n1 + 1, n1 - 1", "t.f, t.g = t.g, t.f", "n1, m2 = m2, n1 * 2",
          "n2, t.f, m1 = id(7, 8)"}));
      case 6 -> line("pcall(function() m2 = " + expr(2) + " end) emit(m2)");
      case 7 -> {
        if (loopDepth > 0) {
          line("if " + cond() + " then " + (chance(50) ? "break" : "continue") + " end");
        } else {
          line("emit(n1, n2)");
        }
      }
      case 8 -> line("t." + pick(new String[] {"f", "g", "h"}) + " = " + expr(2));
      case 9, 10 -> ifStmt(depth);
      case 11, 12 -> numericFor(depth);
      case 13 -> whileLoop(depth);
      case 14 -> repeatLoop(depth);
      default -> {
        line("do");
        indent++;
        line("local n3 = " + numExpr(2));
        line("n3 += " + numExpr(1));
        line("emit(n3, n3 * 2)");
        indent--;
        line("end");
      }
    }
  }

  private void body(int depth) {
    indent++;
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      stmt(depth - 1);
    }
    indent--;
  }

  private void ifStmt(int depth) {
    line("if " + cond() + " then");
    body(depth);
    if (chance(50)) {
      line("elseif " + cond() + " then");
      body(depth);
    }
    if (chance(50)) {
      line("else");
      body(depth);
    }
    line("end");
  }

  private String guard() {
    String g = "g" + guards++;
    return g;
  }

  private void loopBody(int depth, String g) {
    indent++;
    line(g + " += 1 if " + g + " > 6 then break end");
    loopDepth++;
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      stmt(depth - 1);
    }
    loopDepth--;
    indent--;
  }

  private void numericFor(int depth) {
    String g = guard();
    String v = "i" + g;
    String start = chance(80) ? pick(NUMS) : pick(BOUNDS);
    String limit = chance(80) ? pick(new String[] {"1", "3", "-2", "0", "5", "2.5", "-0"}) : pick(BOUNDS);
    String step = chance(30) ? "" : ", " + pick(STEPS);
    line("local " + g + " = 0");
    line("for " + v + " = " + start + ", " + limit + step + " do");
    String saved = loopVar;
    loopVar = v;
    loopBody(depth, g);
    loopVar = saved;
    line("end");
    line("emit(\"" + g + "\", " + g + ")");
  }

  private void whileLoop(int depth) {
    String g = guard();
    line("local " + g + " = 0");
    line("while " + (chance(50) ? "true" : cond()) + " do");
    loopBody(depth, g);
    line("end");
  }

  private void repeatLoop(int depth) {
    String g = guard();
    line("local " + g + " = 0");
    line("repeat");
    indent++;
    // declared before any continue: the JIT keeps r unboxed and reads a stale number where the
    // interpreter reads nil when a continue skips the declaration (see JitBehaviourTest)
    line("local r = " + g + " * 2");
    indent--;
    loopBody(depth, g);
    line("until r > " + rnd.nextInt(8) + " or " + cond());
  }

  // ---- themed cases

  private void varargCase(String name) {
    line("local function " + name + "()");
    indent++;
    line("local function va(a, ...)");
    line("  local n = select(\"#\", ...)");
    line("  local b, c = ...");
    line("  emit(n, a, b, c, select(-1, a, ...))");
    line("  if n > 1 then return ..., n end");
    line("  return a, ...");
    line("end");
    String[] args = {"", "1", "nil", "1, nil", "nil, nil, 3", "multi(3)", "\"x\", multi(2, 9)", "id()",
        "V(2), 1i, nil"};
    int k = 1 + rnd.nextInt(3);
    for (int i = 0; i < k; i++) {
      line("emit(va(" + pick(args) + "))");
      line("emit((va(" + pick(args) + ")))");
      line("emit({va(" + pick(args) + ")}, select(\"#\", va(" + pick(args) + ")))");
    }
    line("local t = {va(" + pick(args) + ")}");
    line("emit(#t, table.unpack(t, 1, 4))");
    line("return select(\"#\", multi(" + rnd.nextInt(4) + ", nil))");
    indent--;
    line("end");
  }

  private void iterCase(String name) {
    line("local function " + name + "()");
    indent++;
    String[] tables = {"{}", "{1, 2, 3}", "{a = 1, b = 2, 3}", "{1, nil, 3}", "{\"x\", \"y\", k = \"z\"}",
        "{10, 20, [5] = 50}"};
    line("local src = " + pick(tables));
    line("local acc = 0");
    switch (rnd.nextInt(6)) {
      case 0 -> line("for k, v in pairs(src) do emit(k, v) acc += 1 end");
      case 1 -> line("for i, v in ipairs(src) do emit(i, v) acc += i end");
      case 2 -> line("for k, v in next, src do emit(k, v) if acc > 1 then break end acc += 1 end");
      case 3 -> line("for k, v in src do emit(k, v) acc += 1 end");
      case 4 -> line("for i, v in V(" + pick(NUMS) + ") do emit(i, v) acc += i end");
      default -> {
        line("local function range(n, step)");
        line("  local i = 0");
        line("  return function() i += step if i <= n then return i, i * i end return nil end");
        line("end");
        line("for i, sq in range(" + rnd.nextInt(6) + ", " + pick(new String[] {"1", "0.5", "2"})
            + ") do if i == 2 then continue end emit(i, sq) acc += sq end");
      }
    }
    line("for k, v in " + pick(new String[] {"pairs(nil)", "ipairs({1})", "nil", "V(1)", "42", "pairs({})"})
        + " do emit(k, v) end");
    line("return acc");
    indent--;
    line("end");
  }

  private void closureCase(String name) {
    line("local function " + name + "()");
    indent++;
    line("local fns = {}");
    line("for i = 1, " + (1 + rnd.nextInt(4)) + " do");
    line("  local j = i * 10");
    line("  fns[#fns + 1] = function(d) j += d or 0 return i, j end");
    line("end");
    line("local k = 0");
    line("while k < 3 do k += 1 local kk = k fns[#fns + 1] = function() return kk, k end end");
    line("for _, f in ipairs(fns) do emit(f(" + pick(NUMS) + ")) end");
    line("emit(fns[1](1), fns[1](1))");
    line("local count = 0");
    line("local function inc(by) count += by return count end");
    line("for x = " + pick(new String[] {"1", "-2", "0.5", "3", "-0"}) + ", 3 do inc(x) end");
    line("return count, " + expr(2));
    indent--;
    line("end");
  }

  private void methodCase(String name) {
    line("local function " + name + "()");
    indent++;
    line("local obj = {n = " + pick(NUMS) + "}");
    line("function obj:add(x) self.n += x return self end");
    line("function obj.static(x) return x end");
    line("emit(obj:add(" + pick(NUMS) + "):add(1).n, obj.static(" + pick(NUMS) + "))");
    line("local w = V(" + pick(NUMS) + ")");
    line("emit(w:get(2), w.anything, w(1, 2), #w, w .. 1, 1 .. w, w == V(3), w < V(4), w <= 2)");
    line("w.x = 5 emit(rawget(w, \"last\"), rawget(w, \"x\"))");
    String[] failing = {"obj:missing()", "w:nothing()", "id(nil)()", "local z = nil; return z.f", "return nil + 1",
        "return {} < {}", "return \"a\" < 1", "error(\"boom\")", "error({code = 1})", "error(\"lvl\", 2)",
        "error()", "return #nil", "return -{}", "local q = obj.nope.deeper", "return 1i + 1", "return 1i // 0i",
        "obj.n = nil; obj:add(1)", "error(12)", "return math.floor(\"x\")", "return (\"x\"):rep(-1) .. nil"};
    for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
      line("emit(pcall(function() " + pick(failing) + " end))");
    }
    line(pick(failing).replace("return ", "local _ = "));
    line("return obj.n");
    indent--;
    line("end");
  }
}
