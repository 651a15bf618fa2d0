package io.templateworker.luau.diff;

import java.util.Random;

/**
 * Seeded random Luau programs for the differential test against the reference CLI. A program is a prelude
 * ({@code show}: a deterministic text for any value, table keys sorted, no addresses) plus random snippets from
 * every area a template touches: expressions and number formatting, strings and patterns, string.format and
 * string.pack, tables and the table library, metatables, closures, coroutines, errors and pcall/xpcall
 * messages, math, bit32, integer, utf8, buffer, tonumber/tostring, varargs and iteration. Each snippet prints
 * what it computed (errors included, under pcall), one statement per line, so a difference points at a line.
 * Programs always terminate: every loop is bounded. Arrays get no holes ({@code #t} of a table with holes may be
 * any border, and Luau's depends on how its rehash sized the array part).
 */
final class DiffProgramGenerator {
  static final String PRELUDE = """
      local function show(v, depth)
        depth = depth or 0
        local t = type(v)
        if t == "string" then return string.format("%q", v) end
        if t ~= "table" then return tostring(v) end
        if depth > 2 then return "{...}" end
        local keys = {}
        for k in pairs(v) do table.insert(keys, k) end
        table.sort(keys, function(a, b)
          local ta, tb = type(a), type(b)
          if ta ~= tb then return ta < tb end
          if ta == "number" or ta == "string" then return a < b end
          return tostring(a) < tostring(b)
        end)
        local parts = {}
        for _, k in ipairs(keys) do
          table.insert(parts, (type(k) == "string" and k or "[" .. show(k, depth + 1) .. "]") .. "=" .. show(v[k], depth + 1))
        end
        local mt = getmetatable(v)
        return (if mt and type(mt) == "table" and rawget(mt, "__name") then tostring(rawget(mt, "__name")) else "")
          .. "{" .. table.concat(parts, ",") .. "}"
      end
      local function out(...)
        local n = select("#", ...)
        local parts = table.create(n)
        for i = 1, n do parts[i] = show((select(i, ...))) end
        print(n, table.concat(parts, " "))
      end
      local function try(f, ...) out(pcall(f, ...)) end
      local V = {}
      V.__index = V
      V.__name = "V"
      local function new(x) return setmetatable({v = x}, V) end
      local function val(x) if type(x) == "table" then return rawget(x, "v") end return x end
      V.__add = function(a, b) return new(val(a) + val(b)) end
      V.__sub = function(a, b) return new(val(a) - val(b)) end
      V.__mul = function(a, b) return new(val(a) * val(b)) end
      V.__div = function(a, b) return new(val(a) / val(b)) end
      V.__mod = function(a, b) return new(val(a) % val(b)) end
      V.__pow = function(a, b) return new(val(a) ^ val(b)) end
      V.__idiv = function(a, b) return new(val(a) // val(b)) end
      V.__unm = function(a) return new(-val(a)) end
      V.__eq = function(a, b) return val(a) == val(b) end
      V.__lt = function(a, b) return val(a) < val(b) end
      V.__le = function(a, b) return val(a) <= val(b) end
      V.__len = function(a) return val(a) end
      V.__concat = function(a, b) return tostring(val(a)) .. "~" .. tostring(val(b)) end
      V.__call = function(self, ...) return select("#", ...), ... end
      V.__tostring = function(a) return "V(" .. tostring(val(a)) .. ")" end
      function V:get() return self.v end
      """;

  private static final String[] NUMBERS = {"0", "1", "-1", "2", "3", "7", "-7", "0.5", "-2.5", "10", "100",
      "1e300", "-1e300", "1e-300", "5e-324", "2^53", "2^53 + 1", "2^63", "-2^63", "2^31", "2^32", "-0", "1/3",
      "0.1", "0.1 + 0.2", "math.huge", "-math.huge", "(0/0)", "123456789", "1e15", "1e16", "1e21", "0x10",
      "0xff", "255.5", "-0.0001", "1e-7", "3.14159", "2^-1074", "1.7976931348623157e308"};
  private static final String[] STRINGS = {"\"\"", "\"a\"", "\"abc\"", "\"Hello World\"", "\"  padded  \"",
      "\"10\"", "\"0x1F\"", "\"1e3\"", "\" 42 \"", "\"3.5\"", "\"inf\"", "\"nan\"", "\"a,b,,c\"", "\"x\\0y\"",
      "\"h\\195\\169llo\"", "\"\\255\\1\\127\"", "\"line1\\nline2\"", "\"tab\\there\"", "\"[brackets]\"",
      "\"(parens)\"", "\"%d%s\"", "\"CamelCase\"", "\"snake_case_name\"", "\"1,2,3\"", "\"  \""};
  private static final String[] VALUES = {"nil", "true", "false", "{}", "{1, 2, 3}", "{a = 1}", "new(3)",
      "new(-1.5)", "print", "1i", "-5i", "coroutine.create(print)", "buffer.create(2)", "vector.create(1, 2, 3)"};
  private static final String[] ARITH = {"+", "-", "*", "/", "//", "%", "^"};
  private static final String[] COMPARE = {"==", "~=", "<", "<=", ">", ">="};
  private static final String[] PATTERNS = {"\"a\"", "\"%a+\"", "\"%d+\"", "\"%s\"", "\"(%w+)\"", "\"^%s*(.-)%s*$\"",
      "\"[aeiou]\"", "\"[^%w]\"", "\"%p\"", "\"(.)(.)\"", "\"%b()\"", "\"%f[%w]%w+\"", "\"l+\"", "\"o?\"", "\".-\"",
      "\"x*\"", "\"%u%l*\"", "\"(%d)(%d?)\"", "\"[%a_][%w_]*\"", "\"%.\"", "\"$\"", "\"^\"", "\"()\"", "\"(a)(b)(c)\"",
      "\"%x+\"", "\"[1-3]\"", "\"%c\"", "\"[%]]\"", "\"%1\"", "\"[a-\"", "\"(\"", "\"%\""};
  private static final String[] FORMATS = {"\"%d\"", "\"%5d\"", "\"%-5d|\"", "\"%05d\"", "\"%+d\"", "\"%x\"",
      "\"%X\"", "\"%#x\"", "\"%o\"", "\"%c\"", "\"%e\"", "\"%.3e\"", "\"%f\"", "\"%.2f\"", "\"%10.4f\"",
      "\"%g\"", "\"%.10g\"", "\"%G\"", "\"%s\"", "\"%10s|\"", "\"%-10s|\"", "\"%.2s\"", "\"%q\"", "\"%i\"",
      "\"%%\"", "\"%5.1s|\"", "\"%*d\"", "\"%y\"", "\"%\"", "\"%s %s\"", "\"%d and %s\"", "\"%.0f\"", "\"%.20f\""};

  private final Random rnd;
  private final StringBuilder sb = new StringBuilder();
  private int uniq;

  DiffProgramGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  private String pick(String[] a) {
    return a[rnd.nextInt(a.length)];
  }

  private boolean chance(int percent) {
    return rnd.nextInt(100) < percent;
  }

  private void line(String s) {
    sb.append(s).append('\n');
  }

  private String name(String base) {
    return base + (uniq++);
  }

  /** One whole program. */
  String program() {
    sb.append(PRELUDE);
    int snippets = 6 + rnd.nextInt(10);
    for (int i = 0; i < snippets; i++) {
      snippet();
    }
    if (chance(15)) {
      line(pick(new String[] {"error(\"the end\")", "local x = nil; x.field = 1", "error({code = 1})",
          "error(42)", "local t = setmetatable({}, {__index = function(t, k) return t[k] end}); print(t.x)",
          "string.rep()", "coroutine.yield()", "error()", "local function r() return 1 + r() end r()"}));
    }
    return sb.toString();
  }

  private void snippet() {
    switch (rnd.nextInt(24)) {
      case 0, 1, 2 -> arithmetic();
      case 3 -> comparisons();
      case 4, 5 -> strings();
      case 6 -> patterns();
      case 7 -> format();
      case 8, 9 -> tables();
      case 10 -> metatables();
      case 11 -> closures();
      case 12 -> coroutines();
      case 13, 14 -> errors();
      case 15 -> math();
      case 16 -> bit32();
      case 17 -> integers();
      case 18 -> utf8();
      case 19 -> buffers();
      case 20 -> conversions();
      case 21 -> varargs();
      case 22 -> pack();
      default -> control();
    }
  }

  // ---- expressions

  String number() {
    return chance(70) ? pick(NUMBERS) : Integer.toString(rnd.nextInt(2001) - 1000) + (chance(30) ? "." + rnd.nextInt(100) : "");
  }

  String numExpr(int depth) {
    if (depth <= 0 || chance(30)) {
      return number();
    }
    return switch (rnd.nextInt(6)) {
      case 0 -> "-" + numExpr(depth - 1);
      case 1 -> "(" + numExpr(depth - 1) + ")";
      default -> "(" + numExpr(depth - 1) + " " + pick(ARITH) + " " + numExpr(depth - 1) + ")";
    };
  }

  String anyExpr(int depth) {
    if (depth <= 0 || chance(30)) {
      int r = rnd.nextInt(3);
      return r == 0 ? number() : r == 1 ? pick(STRINGS) : pick(VALUES);
    }
    return switch (rnd.nextInt(8)) {
      case 0, 1 -> "(" + anyExpr(depth - 1) + " " + pick(ARITH) + " " + anyExpr(depth - 1) + ")";
      case 2 -> "(" + anyExpr(depth - 1) + " .. " + anyExpr(depth - 1) + ")";
      case 3 -> "(" + anyExpr(depth - 1) + " " + pick(COMPARE) + " " + anyExpr(depth - 1) + ")";
      case 4 -> "(" + anyExpr(depth - 1) + " and " + anyExpr(depth - 1) + " or " + anyExpr(depth - 1) + ")";
      case 5 -> "#" + anyExpr(depth - 1);
      case 6 -> "-" + anyExpr(depth - 1);
      default -> "(if " + anyExpr(depth - 1) + " then " + anyExpr(depth - 1) + " else " + anyExpr(depth - 1) + ")";
    };
  }

  private void arithmetic() {
    for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
      if (chance(70)) {
        line("print(" + numExpr(3) + ")");
      } else {
        line("try(function() return " + anyExpr(2) + " end)");
      }
    }
    String v = name("n");
    line("local " + v + " = " + number());
    line(v + " " + pick(new String[] {"+=", "-=", "*=", "/=", "//=", "%=", "^=", "..="}) + " " + number());
    line("print(" + v + ", " + v + " == " + v + ", math.type and 0 or 1)");
    line("print(string.format(\"%.14g|%.17g|%g\", " + numExpr(2) + ", " + numExpr(2) + ", " + numExpr(1) + "))");
  }

  private void comparisons() {
    for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
      line("try(function() return " + anyExpr(1) + " " + pick(COMPARE) + " " + anyExpr(1) + " end)");
    }
    line("print(rawequal(" + pick(VALUES) + ", " + pick(VALUES) + "), rawequal(\"a\", \"a\"), new(1) == new(1), new(1) ~= new(2))");
  }

  private void strings() {
    String s = pick(STRINGS);
    String i = Integer.toString(rnd.nextInt(9) - 4);
    String j = Integer.toString(rnd.nextInt(9) - 4);
    String[] calls = {"(" + s + "):sub(" + i + ", " + j + ")", "(" + s + "):sub(" + i + ")", "(" + s + "):upper()",
        "(" + s + "):lower()", "(" + s + "):len()", "(" + s + "):reverse()", "(" + s + "):rep(" + rnd.nextInt(4) + ", \"-\")",
        "(" + s + "):byte(" + i + ", " + j + ")", "string.char(" + rnd.nextInt(256) + ", " + rnd.nextInt(128) + ")",
        "(" + s + "):split(\",\")", "(" + s + "):split(\"\")", "#" + s, s + " .. " + number(), number() + " .. " + s,
        "(" + s + "):rep(" + i + ")", "string.byte(" + s + ")", "(" + s + "):find(\"l\", " + i + ", true)",
        "`{" + s + "}-{" + number() + "}-{" + pick(VALUES) + "}`", "string.len(" + pick(VALUES) + ")",
        "(" + s + ")[1]", "(" + s + "):format()", "tostring(" + s + ") == " + s, "(" + s + ") < (" + pick(STRINGS) + ")"};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      line("try(function() return " + pick(calls) + " end)");
    }
  }

  private void patterns() {
    String s = pick(STRINGS);
    String p = pick(PATTERNS);
    String init = chance(50) ? "" : ", " + (rnd.nextInt(7) - 3);
    line("try(string.find, " + s + ", " + p + init + ")");
    line("try(string.match, " + s + ", " + p + init + ")");
    String repl = pick(new String[] {"\"<%0>\"", "\"%1\"", "\"\"", "\"%%\"", "{a = \"A\", l = 1}",
        "function(c) return c:upper() end", "function() return nil end", "function() return false end", "\"%2\"",
        "\"%9\"", "5"});
    line("try(string.gsub, " + s + ", " + p + ", " + repl + (chance(30) ? ", " + rnd.nextInt(3) : "") + ")");
    line("try(function() local r = {} for a, b in string.gmatch(" + s + ", " + p + ") do table.insert(r, tostring(a) .. \"/\" .. tostring(b)) if #r > 20 then break end end return r end)");
  }

  private void format() {
    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
      String f = pick(FORMATS);
      String arg = switch (rnd.nextInt(4)) {
        case 0 -> number();
        case 1 -> pick(STRINGS);
        case 2 -> pick(VALUES);
        default -> numExpr(1);
      };
      line("try(string.format, " + f + ", " + arg + (chance(30) ? ", " + pick(STRINGS) : "") + ")");
    }
  }

  private void tables() {
    String t = name("t");
    line("local " + t + " = {" + listItems(rnd.nextInt(7)) + "}");
    String[] ops = {"table.insert(" + t + ", " + number() + ")", "table.insert(" + t + ", 1, " + pick(STRINGS) + ")",
        "table.insert(" + t + ", math.min(" + (rnd.nextInt(12) - 3) + ", #" + t + " + 1), 0)", "table.remove(" + t + ")",
        "table.remove(" + t + ", " + (rnd.nextInt(8) - 2) + ")", "table.concat(" + t + ", \", \")",
        "table.concat(" + t + ", \"-\", " + (rnd.nextInt(4) + 1) + ", " + rnd.nextInt(6) + ")", "#" + t,
        "table.unpack(" + t + ")", "table.unpack(" + t + ", " + (rnd.nextInt(4) - 1) + ", " + rnd.nextInt(5) + ")",
        "table.find(" + t + ", " + number() + ")", "table.clone(" + t + ")", "table.isfrozen(" + t + ")",
        "table.move(" + t + ", 1, 2, math.min(" + (rnd.nextInt(4) + 1) + ", #" + t + " + 1))", "table.move(" + t + ", 1, 3, 1, {})",
        "table.create(" + rnd.nextInt(4) + ", \"z\")", "table.sort(" + t + ")",
        "table.sort(" + t + ", function(a, b) return tostring(a) > tostring(b) end)", "select(\"#\", table.unpack(" + t + "))",
        "table.maxn and table.maxn(" + t + ")", "table.clear(" + t + ")", "table.freeze(" + t + ")",
        t + "[" + (rnd.nextInt(9) - 2) + "]", "rawlen(" + t + ")", "next({})", "ipairs(" + t + ")"};
    for (int k = 0; k < 2 + rnd.nextInt(5); k++) {
      line("try(function() return " + pick(ops) + " end)");
      if (chance(40)) {
        line("out(" + t + ")");
      }
    }
    line("local keys" + t + " = {} for k, v in " + t + " do table.insert(keys" + t + ", tostring(k)) end table.sort(keys" + t + ") print(table.concat(keys" + t + ", \",\"))");
    line("try(function() " + t + ".field = 1 " + t + "[1.5] = 2 " + t + "[true] = 3 return " + t + " end)");
    line("try(function() " + t + "[nil] = 1 end)");
    line("try(function() " + t + "[0/0] = 1 end)");
    line("try(function() local f = table.freeze({1}) f[1] = 2 end)");
  }

  private String listItems(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append(chance(70) ? number() : pick(STRINGS));
    }
    return b.toString();
  }

  private void metatables() {
    String a = "new(" + number() + ")";
    String b = chance(50) ? "new(" + number() + ")" : number();
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      String e = switch (rnd.nextInt(10)) {
        case 0 -> a + " " + pick(ARITH) + " " + b;
        case 1 -> a + " " + pick(COMPARE) + " " + b;
        case 2 -> "#" + a;
        case 3 -> a + " .. " + b;
        case 4 -> "-" + a;
        case 5 -> a + "(1, nil, 3)";
        case 6 -> "tostring(" + a + ")";
        case 7 -> a + ":get()";
        case 8 -> a + ".missing";
        default -> "getmetatable(" + a + ") == V";
      };
      line("try(function() return " + e + " end)");
    }
    String p = name("p");
    line("local " + p + " = setmetatable({}, {__index = function(t, k) return k .. \"!\" end, __newindex = function(t, k, v) rawset(t, k, v * 2) end})");
    line(p + ".x = 21 print(" + p + ".x, " + p + ".y, rawget(" + p + ", \"y\"))");
    line("try(function() return setmetatable({}, {__metatable = \"locked\"}) end)");
    line("try(function() local t = setmetatable({}, {__metatable = \"locked\"}) return getmetatable(t), pcall(setmetatable, t, {}) end)");
    line("try(function() return setmetatable({}, {__index = {a = 1}}).a, setmetatable({}, {__call = 5})() end)");
    line("try(function() return tostring(setmetatable({}, {__tostring = function() return " + pick(new String[] {"42", "\"s\"", "nil", "{}", "true"}) + " end})) end)");
  }

  private void closures() {
    String f = name("counter");
    line("local function " + f + "(start) local n = start return function(d) n += d or 1 return n end end");
    line("local c1, c2 = " + f + "(" + number() + "), " + f + "(0)");
    line("print(c1(), c1(2), c2(), c1(), c2(-1))");
    line("local fs = {} for i = 1, 3 do fs[i] = function() return i end end print(fs[1](), fs[2](), fs[3]())");
    line("local shared = 0 local inc = function() shared += 1 end local get = function() return shared end inc() inc() print(get())");
    line("local function rec(n) if n <= 0 then return 0 end return n + rec(n - 1) end print(rec(" + rnd.nextInt(50) + "))");
    line("local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end print(tail(" + rnd.nextInt(5000) + ", 0))");
  }

  private void coroutines() {
    String co = name("co");
    line("local " + co + " = coroutine.create(function(a, b) local c = coroutine.yield(a + b) local d, e = coroutine.yield(c * 2) return d, e, \"done\" end)");
    line("out(coroutine.resume(" + co + ", " + number() + ", " + number() + "))");
    line("out(coroutine.status(" + co + "), coroutine.resume(" + co + ", " + number() + "))");
    line("out(coroutine.resume(" + co + ", 1, 2), coroutine.status(" + co + "))");
    line("out(coroutine.resume(" + co + "))");
    line("local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end) print(gen(), gen(), gen(), gen())");
    line("try(gen)");
    line("out(coroutine.isyieldable(), coroutine.status(coroutine.running()))");
    line("local ec = coroutine.create(function() error(" + pick(new String[] {"\"inside\"", "{}", "7", "nil"}) + ") end) out(coroutine.resume(ec)) out(coroutine.status(ec), coroutine.close(ec))");
    line("try(coroutine.wrap(function() error(\"wrapped\") end))");
    line("out(coroutine.resume(coroutine.create(function() return pcall(coroutine.yield, 1) end)))");
    line("try(coroutine.resume, coroutine.running())");
    line("local yc = coroutine.wrap(function(...) local t = {...} while true do t = {coroutine.yield(select(\"#\", table.unpack(t)))} end end) print(yc(1, 2), yc(), yc(nil, nil))");
  }

  private void errors() {
    String[] failing = {"error(\"msg\")", "error(\"msg\", 0)", "error(\"msg\", 2)", "error({code = 1})", "error(nil)",
        "error(12)", "error(true)", "local x = nil; return x.y", "local x = nil; x.y = 1", "return nil + 1",
        "return {} + 1", "return \"a\" + 1", "return \"a\" < 1", "return {} < {}", "return #5", "return -{}",
        "local f; f()", "return (\"x\"):bad()", "return math.floor(\"x\")", "return string.rep()", "return ({}).a.b",
        "return 1 .. {}", "return true .. \"\"", "local t = setmetatable({}, {__index = function() error(\"deep\") end}) return t.x",
        "assert(false)", "assert(nil, \"custom\")", "assert(false, 5)", "assert(1 == 1, \"fine\")", "return select(0)",
        "return (\"abc\"):sub()", "return tostring()", "return setmetatable(1, {})", "return ipairs()",
        "return table.concat({{}})", "return table.insert(1, 2)", "return coroutine.resume(nil)", "return unpack({}, 1, 1e8)",
        "local a = {} a[nil] = 1", "return 1 // 0, -1 // 0, 0 // 0", "return 5 % 0", "return 2^1024",
        "return error", "return math.huge // 1", "for i = 1, \"x\" do end", "for i = 1, 2, 0 do end", "for k in nil do end",
        "local t = {} t.x.y = 1", "return #nil", "return nil .. nil"};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      String code = pick(failing);
      switch (rnd.nextInt(4)) {
        case 0 -> line("try(function() " + code + " end)");
        case 1 -> line("out(xpcall(function() " + code + " end, function(m) return \"handled: \" .. tostring(m) end))");
        case 2 -> line("out(pcall(function() local ok, e = pcall(function() " + code + " end) error(e, 0) end))");
        default -> line("out(select(\"#\", pcall(function() " + code + " end)))");
      }
    }
    line("out(pcall(error))");
    line("out(pcall(pcall))");
    line("out(xpcall(error, function(m) return m end, \"direct\"))");
    line("out(xpcall(function() error(\"a\") end, function(m) error(\"b\") end))");
  }

  private void math() {
    String[] fns = {"floor", "ceil", "abs", "sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
        "sinh", "cosh", "tanh", "deg", "rad", "sign", "round", "modf", "frexp", "isnan", "isinf", "isfinite"};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      line("try(math." + pick(fns) + ", " + numExpr(1) + ")");
    }
    line("try(math.max, " + number() + ", " + number() + ", " + number() + ")");
    line("try(math.min, " + number() + ", " + number() + ")");
    line("try(math.fmod, " + number() + ", " + number() + ")");
    line("try(math.pow, " + number() + ", " + number() + ")");
    line("try(math.atan2, " + number() + ", " + number() + ")");
    line("try(math.log, " + number() + ", " + number() + ")");
    line("try(math.ldexp, " + number() + ", " + (rnd.nextInt(40) - 20) + ")");
    line("try(math.clamp, " + number() + ", " + number() + ", " + number() + ")");
    line("try(math.noise, " + number() + ", " + number() + ", " + number() + ")");
    line("try(math.lerp, " + number() + ", " + number() + ", " + number() + ")");
    line("try(math.map, " + number() + ", 0, 10, " + number() + ", " + number() + ")");
    line("math.randomseed(" + rnd.nextInt(1000) + ") print(math.random(1, 100), math.random(5), math.random(-3, 3))");
    line("print(math.pi, math.huge, -math.huge, math.e, math.tau, math.phi, math.sqrt2)");
  }

  private void bit32() {
    String[] fns = {"band", "bor", "bxor", "bnot", "lshift", "rshift", "arshift", "lrotate", "rrotate", "btest",
        "countlz", "countrz", "byteswap", "extract", "replace"};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      String f = pick(fns);
      String args = switch (f) {
        case "bnot", "countlz", "countrz", "byteswap" -> number();
        case "extract" -> number() + ", " + rnd.nextInt(34) + (chance(50) ? ", " + rnd.nextInt(34) : "");
        case "replace" -> number() + ", " + number() + ", " + rnd.nextInt(34) + (chance(50) ? ", " + rnd.nextInt(34) : "");
        case "lshift", "rshift", "arshift", "lrotate", "rrotate" -> number() + ", " + (rnd.nextInt(70) - 35);
        default -> number() + ", " + number() + (chance(40) ? ", " + number() : "");
      };
      line("try(bit32." + f + ", " + args + ")");
    }
  }

  private void integers() {
    String[] ints = {"0i", "1i", "-1i", "7i", "-7i", "2i", "9223372036854775807i", "0x8000000000000000i", "100i", "3i"};
    String[] fns = {"add", "sub", "mul", "div", "idiv", "mod", "rem", "udiv", "urem", "min", "max", "band", "bor",
        "bxor", "lt", "le", "gt", "ge", "ult", "ule", "ugt", "uge"};
    String[] unary = {"neg", "bnot", "tonumber", "countlz", "countrz", "bswap"};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      if (chance(60)) {
        line("try(integer." + pick(fns) + ", " + pick(ints) + ", " + (chance(85) ? pick(ints) : number()) + ")");
      } else if (chance(50)) {
        line("try(integer." + pick(unary) + ", " + pick(ints) + ")");
      } else {
        line("try(function() return " + pick(ints) + " " + pick(chance(50) ? ARITH : COMPARE) + " " + pick(ints) + " end)");
      }
    }
    line("try(integer.create, " + number() + ")");
    line("try(integer.fromstring, " + pick(new String[] {"\"123\"", "\"-5\"", "\"0x10\"", "\"abc\"", "\"9223372036854775808\""}) + ")");
    line("try(integer.lshift, " + pick(ints) + ", " + rnd.nextInt(70) + ")");
    line("print(typeof(1i), tostring(2i), `{3i}`, 1i == 1i, 1i == 1)");
  }

  private void utf8() {
    String s = pick(new String[] {"\"héllo\"", "\"日本語\"", "\"abc\"", "\"\\xff\\xfe\"", "\"a\\u{10FFFF}b\"", "\"\"",
        "\"\\u{1F600}\"", "\"\\xed\\xa0\\x80\""});
    line("try(utf8.len, " + s + ")");
    line("try(utf8.len, " + s + ", " + (rnd.nextInt(5) - 1) + ", " + (rnd.nextInt(5) - 2) + ")");
    line("try(utf8.codepoint, " + s + ", 1, -1)");
    line("try(utf8.offset, " + s + ", " + (rnd.nextInt(6) - 2) + ")");
    line("try(utf8.char, " + rnd.nextInt(200000) + ", " + rnd.nextInt(128) + ")");
    line("try(function() local r = {} for p, c in utf8.codes(" + s + ") do table.insert(r, p .. \":\" .. c) end return table.concat(r, \",\") end)");
    line("print(utf8.charpattern)");
  }

  private void buffers() {
    String b = name("b");
    int size = rnd.nextInt(20);
    line("local " + b + " = buffer.create(" + size + ")");
    String[] ops = {"buffer.writei8(" + b + ", " + rnd.nextInt(22) + ", " + number() + ")",
        "buffer.writeu16(" + b + ", " + rnd.nextInt(22) + ", " + number() + ")",
        "buffer.writei32(" + b + ", " + rnd.nextInt(22) + ", " + number() + ")",
        "buffer.writef32(" + b + ", " + rnd.nextInt(22) + ", " + number() + ")",
        "buffer.writef64(" + b + ", " + rnd.nextInt(22) + ", " + number() + ")",
        "buffer.writestring(" + b + ", " + rnd.nextInt(22) + ", \"hey\")",
        "buffer.readi8(" + b + ", " + rnd.nextInt(22) + ")", "buffer.readu8(" + b + ", " + rnd.nextInt(22) + ")",
        "buffer.readi16(" + b + ", " + rnd.nextInt(22) + ")", "buffer.readu32(" + b + ", " + rnd.nextInt(22) + ")",
        "buffer.readf32(" + b + ", " + rnd.nextInt(22) + ")", "buffer.readf64(" + b + ", " + rnd.nextInt(22) + ")",
        "buffer.readstring(" + b + ", " + rnd.nextInt(22) + ", " + rnd.nextInt(6) + ")", "buffer.len(" + b + ")",
        "buffer.tostring(" + b + ")", "buffer.fill(" + b + ", " + rnd.nextInt(22) + ", " + rnd.nextInt(300) + ")",
        "buffer.copy(" + b + ", 0, buffer.fromstring(\"abcdef\"), " + rnd.nextInt(8) + ")",
        "buffer.readbits and buffer.readbits(" + b + ", " + rnd.nextInt(64) + ", " + rnd.nextInt(33) + ")",
        "buffer.writebits and buffer.writebits(" + b + ", " + rnd.nextInt(64) + ", " + rnd.nextInt(33) + ", " + number() + ")"};
    for (int k = 0; k < 3 + rnd.nextInt(5); k++) {
      line("try(function() return " + pick(ops) + " end)");
    }
  }

  private void conversions() {
    String[] strs = {"\"0x10\"", "\"1e5\"", "\" 5 \"", "\"5.\"", "\".5\"", "\"inf\"", "\"-nan\"", "\"1_000\"", "\"0b101\"",
        "\"12abc\"", "\"\"", "\"  \"", "\"0x\"", "\"1e\"", "\"-0x1p3\"", "\"+7\"", "\"ff\"", "\"777\"", "\"z\""};
    for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
      String s = pick(strs);
      switch (rnd.nextInt(4)) {
        case 0 -> line("try(tonumber, " + s + ")");
        case 1 -> line("try(tonumber, " + s + ", " + pick(new String[] {"2", "8", "10", "16", "36", "1", "37"}) + ")");
        case 2 -> line("try(function() return " + s + " + " + number() + " end)");
        default -> line("try(tostring, " + (chance(50) ? numExpr(2) : pick(VALUES)) + ")");
      }
    }
    line("print(type(" + pick(VALUES) + "), typeof(" + pick(VALUES) + "), tonumber(" + number() + "))");
  }

  private void varargs() {
    String f = name("va");
    line("local function " + f + "(...) local a, b = ... return select(\"#\", ...), a, b, select(-1, ...) end");
    String[] args = {"", "1", "nil", "1, nil", "nil, nil, 3", "table.unpack({1, 2, 3})", "(table.unpack({1, 2}))"};
    for (int k = 0; k < 2 + rnd.nextInt(3); k++) {
      line("try(" + f + (chance(50) ? ", " : "") + pick(args) + ")");
    }
    line("try(select, " + (rnd.nextInt(7) - 3) + ", \"a\", \"b\", \"c\")");
    line("print(select(\"#\"), select(\"#\", nil), (select(2, \"a\", \"b\", \"c\")))");
    line("local packed = table.pack(" + pick(args) + ") print(packed.n, #packed)");
  }

  private void pack() {
    String[] fmts = {"\"i4\"", "\">I2\"", "\"<i8\"", "\"b\"", "\"B\"", "\"h\"", "\"d\"", "\"f\"", "\"s1\"", "\"z\"",
        "\"c3\"", "\"!4 i3 i8\"", "\"j\"", "\"<I3\"", "\"xxi2\"", "\"i17\"", "\"q\""};
    for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
      String f = pick(fmts);
      String v = f.contains("s") || f.contains("z") || f.contains("c") ? pick(STRINGS) : number();
      line("try(function() local p = string.pack(" + f + ", " + v + ") return #p, string.unpack(" + f + ", p) end)");
      line("try(string.packsize, " + f + ")");
    }
  }

  private void control() {
    String n = name("acc");
    line("local " + n + " = 0");
    line("for i = " + number() + ", " + number() + ", " + pick(new String[] {"1", "-1", "2", "0.5", "-3"}) + " do " + n + " += 1 if " + n + " > 20 then break end end print(" + n + ")");
    line("local w = 0 while w < " + rnd.nextInt(10) + " do w += 1 if w % 2 == 0 then continue end end print(w)");
    line("local r = 0 repeat local q = r r += 1 until q >= " + rnd.nextInt(5) + " print(r)");
    line("try(function() for i = 1, 3 do local x <const> = i end end)");
    line("print(if " + anyExpr(1) + " then \"yes\" else \"no\")");
    line("do local t = {10, 20, 30, nil, 50} local s = 0 for i, v in ipairs(t) do s += v end print(s, #t == 5 or #t == 3) end");
    line("local gi = {} for i, v in {1, 2, 3} do table.insert(gi, i * v) end print(table.concat(gi, \" \"))");
  }
}
