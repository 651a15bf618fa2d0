package io.templateworker.luau.jit;

import static java.lang.constant.ConstantDescs.CD_Boolean;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_Double;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_byte;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Expr;
import io.templateworker.luau.vm.node.Exprs;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;

/** Emits expressions and calls: what pushes a value (or a condition's jump) for {@link CodeGen}'s statements. */
abstract class ExprGen extends Emitter {
  ExprGen(Proto proto, boolean compact) {
    super(proto, compact);
  }

  /** Pushes the first value of {@code e} as an Object. */
  void obj(Expr e) {
    CodeBuilder c = cb;
    if (isNum(e) && !(e instanceof Exprs.Const)) {
      dbl(e);
      box();
      return;
    }
    switch (e) {
      case Exprs.Const k -> {
        Object v = k.value;
        if (v == null) {
          c.aconst_null();
        } else if (v instanceof Boolean b) {
          c.getstatic(CD_Boolean, b ? "TRUE" : "FALSE", CD_Boolean);
        } else {
          constant(v);
        }
      }
      case Exprs.LocalGet g -> c.aload(SLOTS).loadConstant(g.slot).aaload();
      case Exprs.CellGet g -> c.aload(SLOTS).loadConstant(g.slot).aaload().checkcast(CD_CELL)
          .getfield(CD_CELL, "v", CD_Object);
      case Exprs.UpvalGet u -> c.aload(UPVALS).loadConstant(u.index).aaload().getfield(CD_CELL, "v", CD_Object);
      case Exprs.GlobalGet g -> {
        constant(new FieldCache(g.name)); // this site's own cache
        c.aload(F).invokevirtual(CD_FIELD_CACHE, "global", MethodTypeDesc.of(CD_Object, CD_FRAME));
      }
      case Exprs.Vararg v -> {
        c.aload(F).getfield(CD_FRAME, "varargs", CD_ARR);
        rt("first", CD_Object, CD_ARR);
      }
      case Exprs.Single s -> obj(s.inner);
      case Exprs.IndexStr x when x.object instanceof Exprs.GlobalGet -> {
        // `math.cos`, `string.byte`: a library table, frozen in every environment bin/luau and the worker make
        constant(new FieldCache(x.key)); // this site's own cache
        obj(x.object);
        c.aload(F).invokevirtual(CD_FIELD_CACHE, "index", MethodTypeDesc.of(CD_Object, CD_Object, CD_FRAME));
      }
      case Exprs.IndexStr x -> {
        // an object's field (`b.x`, `self.n`): the short uncached path, which leaves HotSpot more inlining budget
        c.aload(F);
        obj(x.object);
        constant(x.key);
        rt("indexStr", CD_Object, CD_FRAME, CD_Object, CD_STRING);
      }
      case Exprs.Index x -> {
        c.aload(F);
        obj(x.object);
        obj(x.key);
        rt("index", CD_Object, CD_FRAME, CD_Object, CD_Object);
      }
      case Exprs.Call x -> call(x, false);
      case Exprs.MethodCall x -> methodCall(x, false);
      case Exprs.Function x -> {
        c.aload(F);
        constant(x.proto);
        rt("closure", CD_CLOSURE, CD_FRAME, CD_PROTO);
      }
      case Exprs.Table x -> table(x);
      case Exprs.And x -> shortCircuit(x.a, x.b, false);
      case Exprs.Or x -> shortCircuit(x.a, x.b, true);
      case Exprs.IfElse x -> {
        Label otherwise = c.newLabel();
        Label end = c.newLabel();
        cond(x.cond, otherwise, false);
        obj(x.then);
        c.goto_(end);
        c.labelBinding(otherwise);
        obj(x.otherwise);
        c.labelBinding(end);
      }
      case Exprs.Not x -> bool(e);
      case Exprs.Eq x -> bool(e);
      case Exprs.Lt x -> bool(e);
      case Exprs.Add x -> arith(Ops.ADD, x.a, x.b, x.line);
      case Exprs.Sub x -> arith(Ops.SUB, x.a, x.b, x.line);
      case Exprs.Mul x -> arith(Ops.MUL, x.a, x.b, x.line);
      case Exprs.Div x -> arith(Ops.DIV, x.a, x.b, x.line);
      case Exprs.Arith x -> arith(x.op, x.a, x.b, x.line);
      case Exprs.AddConst x -> {
        int a = refTemp();
        obj(x.a);
        c.astore(a);
        Label slow = c.newLabel();
        Label end = c.newLabel();
        c.aload(a).instanceOf(CD_Double).ifeq(slow);
        c.aload(a);
        unbox();
        c.loadConstant(x.k).dadd();
        box();
        c.goto_(end);
        c.labelBinding(slow);
        c.aload(F).loadConstant(x.line).loadConstant(x.op).aload(a);
        constant(x.boxedK);
        rt("arith", CD_Object, CD_FRAME, CD_int, CD_int, CD_Object, CD_Object);
        c.labelBinding(end);
        freeRef(a);
      }
      case Exprs.Unm x -> {
        int a = refTemp();
        obj(x.a);
        c.astore(a);
        Label slow = c.newLabel();
        Label end = c.newLabel();
        c.aload(a).instanceOf(CD_Double).ifeq(slow);
        c.aload(a);
        unbox();
        c.dneg();
        box();
        c.goto_(end);
        c.labelBinding(slow);
        c.aload(F).loadConstant(x.line).aload(a);
        rt("unm", CD_Object, CD_FRAME, CD_int, CD_Object);
        c.labelBinding(end);
        freeRef(a);
      }
      case Exprs.Len x -> {
        c.aload(F).loadConstant(x.line);
        obj(x.a);
        rt("len", CD_Object, CD_FRAME, CD_int, CD_Object);
      }
      case Exprs.Concat x -> {
        c.aload(F).loadConstant(x.line);
        c.loadConstant(x.parts.length).anewarray(CD_Object);
        for (int i = 0; i < x.parts.length; i++) {
          c.dup().loadConstant(i);
          obj(x.parts[i]);
          c.aastore();
        }
        rt("concat", CD_Object, CD_FRAME, CD_int, CD_ARR);
      }
      case Exprs.Interp x -> {
        constant(x.parts);
        c.loadConstant(x.exprs.length).anewarray(CD_STRING);
        for (int i = 0; i < x.exprs.length; i++) {
          c.dup().loadConstant(i);
          c.aload(F).loadConstant(x.line);
          obj(x.exprs[i]);
          rt("tostr", CD_STRING, CD_FRAME, CD_int, CD_Object);
          c.aastore();
        }
        rt("interp", CD_STRING, CD_byte.arrayType(2), CD_STRING.arrayType());
      }
      default -> throw new Unsupported(e.getClass().getSimpleName());
    }
  }

  /**
   * {@code a and b} / {@code a or b} as a value: {@code a} when its truthiness equals {@code keepWhen}
   * ({@code or} keeps a truthy a, {@code and} a falsy one), else {@code b}.
   */
  void shortCircuit(Expr a, Expr b, boolean keepWhen) {
    CodeBuilder c = cb;
    Label end = c.newLabel();
    obj(a);
    c.dup();
    rt("truthy", CD_boolean, CD_Object);
    if (keepWhen) {
      c.ifne(end);
    } else {
      c.ifeq(end);
    }
    c.pop();
    obj(b);
    c.labelBinding(end);
  }

  /** Pushes Boolean.TRUE/FALSE for a condition. */
  void bool(Expr e) {
    CodeBuilder c = cb;
    Label yes = c.newLabel();
    Label end = c.newLabel();
    cond(e, yes, true);
    c.getstatic(CD_Boolean, "FALSE", CD_Boolean).goto_(end);
    c.labelBinding(yes);
    c.getstatic(CD_Boolean, "TRUE", CD_Boolean);
    c.labelBinding(end);
  }

  /** Pushes the double value of {@code e}, which must be a number for certain ({@link #isNum}). */
  void dbl(Expr e) {
    CodeBuilder c = cb;
    switch (e) {
      case Exprs.Const k -> c.loadConstant(((Double) k.value).doubleValue());
      case Exprs.LocalGet g -> c.dload(dslot[g.slot]);
      case Exprs.Add x -> binary(Ops.ADD, x.a, x.b);
      case Exprs.Sub x -> binary(Ops.SUB, x.a, x.b);
      case Exprs.Mul x -> binary(Ops.MUL, x.a, x.b);
      case Exprs.Div x -> binary(Ops.DIV, x.a, x.b);
      case Exprs.Arith x -> binary(x.op, x.a, x.b);
      case Exprs.AddConst x -> {
        dbl(x.a);
        c.loadConstant(x.k).dadd();
      }
      case Exprs.Unm x -> {
        dbl(x.a);
        c.dneg();
      }
      default -> throw new IllegalStateException("not a number for certain: " + e.getClass().getSimpleName());
    }
  }

  void binary(int op, Expr a, Expr b) {
    dbl(a);
    dbl(b);
    numOp(op);
  }

  /** Applies a number operator to the two doubles on the stack, exactly as {@link Ops#arithNum}. */
  void numOp(int op) {
    CodeBuilder c = cb;
    MethodTypeDesc dd = MethodTypeDesc.of(CD_double, CD_double, CD_double);
    switch (op) {
      case Ops.ADD -> c.dadd();
      case Ops.SUB -> c.dsub();
      case Ops.MUL -> c.dmul();
      case Ops.DIV -> c.ddiv();
      case Ops.MOD -> c.invokestatic(CD_OPS, "mod", dd);
      case Ops.POW -> c.invokestatic(CD_OPS, "pow", dd);
      case Ops.IDIV -> c.ddiv().invokestatic(ClassDesc.of("java.lang.Math"), "floor",
          MethodTypeDesc.of(CD_double, CD_double));
      default -> throw new Unsupported("arithmetic operator " + op);
    }
  }

  /** Arithmetic on operands that may not be numbers: the number path inline, anything else in the runtime. */
  void arith(int op, Expr a, Expr b, int line) {
    CodeBuilder c = cb;
    String helper = COMPACT_ARITH.get(op);
    if (compact && helper != null) {
      c.aload(F).loadConstant(line);
      obj(a);
      obj(b);
      rt(helper, CD_Object, CD_FRAME, CD_int, CD_Object, CD_Object);
      return;
    }
    int ta = refTemp();
    int tb = refTemp();
    obj(a);
    c.astore(ta);
    obj(b);
    c.astore(tb);
    arithRefs(op, line, ta, tb);
    freeRef(tb);
    freeRef(ta);
  }

  void arithRefs(int op, int line, int ta, int tb) {
    CodeBuilder c = cb;
    Label slow = c.newLabel();
    Label end = c.newLabel();
    c.aload(ta).instanceOf(CD_Double).ifeq(slow);
    c.aload(tb).instanceOf(CD_Double).ifeq(slow);
    c.aload(ta);
    unbox();
    c.aload(tb);
    unbox();
    numOp(op);
    box();
    c.goto_(end);
    c.labelBinding(slow);
    c.aload(F).loadConstant(line).loadConstant(op).aload(ta).aload(tb);
    rt("arith", CD_Object, CD_FRAME, CD_int, CD_int, CD_Object, CD_Object);
    c.labelBinding(end);
  }

  /** Jumps to {@code target} when the truthiness of {@code e} equals {@code jumpWhen}; falls through otherwise. */
  void cond(Expr e, Label target, boolean jumpWhen) {
    CodeBuilder c = cb;
    switch (e) {
      case Exprs.Const k -> {
        boolean truth = k.value != null && k.value != Boolean.FALSE;
        if (truth == jumpWhen) {
          c.goto_(target);
        }
      }
      case Exprs.Not x -> cond(x.a, target, !jumpWhen);
      case Exprs.And x -> junction(x.a, x.b, false, target, jumpWhen);
      case Exprs.Or x -> junction(x.a, x.b, true, target, jumpWhen);
      case Exprs.Eq x -> {
        boolean jumpIfEqual = !x.negate == jumpWhen;
        if (isNum(x.a) && isNum(x.b)) {
          dbl(x.a);
          dbl(x.b);
          c.dcmpl();
          if (jumpIfEqual) {
            c.ifeq(target);
          } else {
            c.ifne(target);
          }
        } else {
          c.aload(F).loadConstant(x.line);
          obj(x.a);
          obj(x.b);
          rt("eq", CD_boolean, CD_FRAME, CD_int, CD_Object, CD_Object);
          if (jumpIfEqual) {
            c.ifne(target);
          } else {
            c.ifeq(target);
          }
        }
      }
      case Exprs.Lt x -> compare(x, target, jumpWhen);
      default -> {
        obj(e);
        rt("truthy", CD_boolean, CD_Object);
        if (jumpWhen) {
          c.ifne(target);
        } else {
          c.ifeq(target);
        }
      }
    }
  }

  /**
   * {@code a and b} ({@code or} false) or {@code a or b} ({@code or} true) as a jump to {@code target} when its truth is
   * {@code jumpWhen}. When the junction decides like its parts ("or" jumps on true, "and" on false), either part jumps
   * straight to the target; otherwise the first part decides only whether the second is tested.
   */
  private void junction(Expr a, Expr b, boolean or, Label target, boolean jumpWhen) {
    if (jumpWhen == or) {
      cond(a, target, jumpWhen);
      cond(b, target, jumpWhen);
    } else {
      Label skip = cb.newLabel();
      cond(a, skip, or);
      cond(b, target, jumpWhen);
      cb.labelBinding(skip);
    }
  }

  void compare(Exprs.Lt x, Label target, boolean jumpWhen) {
    CodeBuilder c = cb;
    if (isNum(x.a) && isNum(x.b)) {
      dbl(x.a);
      dbl(x.b);
      // a NaN operand makes every comparison false: dcmpg pushes 1 and dcmpl -1 for NaN, chosen so
      if (!x.swapped) { // a < b, a <= b
        c.dcmpg();
        if (x.orEqual) {
          branch(jumpWhen, target, Rel.LE);
        } else {
          branch(jumpWhen, target, Rel.LT);
        }
      } else { // b < a, b <= a (source a > b, a >= b)
        c.dcmpl();
        if (x.orEqual) {
          branch(jumpWhen, target, Rel.GE);
        } else {
          branch(jumpWhen, target, Rel.GT);
        }
      }
      return;
    }
    int ta = refTemp();
    int tb = refTemp();
    obj(x.a);
    c.astore(ta);
    obj(x.b);
    c.astore(tb);
    c.aload(F).loadConstant(x.line);
    if (x.swapped) {
      c.aload(tb).aload(ta);
    } else {
      c.aload(ta).aload(tb);
    }
    rt(x.orEqual ? "le" : "lt", CD_boolean, CD_FRAME, CD_int, CD_Object, CD_Object);
    freeRef(tb);
    freeRef(ta);
    if (jumpWhen) {
      c.ifne(target);
    } else {
      c.ifeq(target);
    }
  }

  /** A comparison of the int on the stack with 0, as the branch taken when it holds and when it fails. */
  enum Rel {
    LT(Opcode.IFLT, Opcode.IFGE),
    LE(Opcode.IFLE, Opcode.IFGT),
    GT(Opcode.IFGT, Opcode.IFLE),
    GE(Opcode.IFGE, Opcode.IFLT);

    final Opcode holds;
    final Opcode fails;

    Rel(Opcode holds, Opcode fails) {
      this.holds = holds;
      this.fails = fails;
    }
  }

  /** Jumps when (int on stack REL 0) == jumpWhen. */
  void branch(boolean jumpWhen, Label target, Rel rel) {
    cb.branch(jumpWhen ? rel.holds : rel.fails, target);
  }

  /** Pushes all values of {@code e} as an Object[] (calls and {@code ...} may give several). */
  void multi(Expr e) {
    CodeBuilder c = cb;
    switch (e) {
      case Exprs.Call x -> call(x, true);
      case Exprs.MethodCall x -> methodCall(x, true);
      case Exprs.Vararg v -> c.aload(F).getfield(CD_FRAME, "varargs", CD_ARR);
      default -> {
        c.iconst_1().anewarray(CD_Object).dup().iconst_0();
        obj(e);
        c.aastore();
      }
    }
  }

  /** Pushes an argument list as an Object[]: a trailing call or {@code ...} expands to all its values. */
  void args(Expr[] args) {
    CodeBuilder c = cb;
    int n = args.length;
    boolean lastMulti = n > 0 && args[n - 1].isMulti();
    if (n == 0) {
      c.getstatic(CD_FN, "NONE", CD_ARR);
      return;
    }
    if (lastMulti && n == 1) {
      multi(args[0]);
      return;
    }
    int fixed = lastMulti ? n - 1 : n;
    c.loadConstant(fixed).anewarray(CD_Object);
    for (int i = 0; i < fixed; i++) {
      c.dup().loadConstant(i);
      obj(args[i]);
      c.aastore();
    }
    if (lastMulti) {
      multi(args[n - 1]);
      rt("append", CD_ARR, CD_ARR, CD_ARR);
    }
  }

  /** {@code HostFunction.callK}'s type: the thread and k Objects, giving an Object. */
  static MethodTypeDesc hostCallType(int k) {
    ClassDesc[] p = params(1, k);
    p[0] = CD_THREAD;
    return MethodTypeDesc.of(CD_Object, p);
  }

  static ClassDesc[] params(int fixed, int objects) {
    ClassDesc[] p = new ClassDesc[fixed + objects];
    for (int i = fixed; i < p.length; i++) {
      p[i] = CD_Object;
    }
    return p;
  }

  void call(Exprs.Call x, boolean all) {
    CodeBuilder c = cb;
    if (x.lastMulti && x.args.length <= 3 && x.args[x.args.length - 1] instanceof Exprs.Call inner
        && !inner.lastMulti && inner.args.length >= 1 && inner.args.length <= 3) {
      nestedCall(x, inner, all);
      return;
    }
    if (compact && !all && !x.lastMulti && x.args.length <= 3) {
      c.aload(F).loadConstant(x.line);
      obj(x.fn);
      for (Expr a : x.args) {
        obj(a);
      }
      int k = x.args.length;
      ClassDesc[] p = params(3, k);
      p[0] = CD_FRAME;
      p[1] = CD_int;
      p[2] = CD_Object;
      line(x.line);
      rt("first" + k, CD_Object, p);
      return;
    }
    if (!x.lastMulti && x.args.length <= 3) {
      int fn = refTemp();
      obj(x.fn);
      c.astore(fn);
      directCall(x.line, null, -1, fn, argTemps(x.args), all);
      freeRef(fn);
      return;
    }
    c.aload(F).loadConstant(x.line);
    obj(x.fn);
    ClassDesc ret = all ? CD_ARR : CD_Object;
    if (x.lastMulti) {
      args(x.args);
      rt("callv", CD_ARR, CD_FRAME, CD_int, CD_Object, CD_ARR);
      if (!all) {
        rt("first", CD_Object, CD_ARR);
      }
    } else {
      args(x.args);
      rt(all ? "callN" : "call1", ret, CD_FRAME, CD_int, CD_Object, CD_ARR);
    }
  }

  /**
   * {@code f(a, g(b, c))}: the trailing call's values are all passed on, so in general both calls take the
   * runtime's array paths. When f and g are builtins that always give exactly one result (bit32's and math's,
   * {@link io.templateworker.luau.value.HostFunction#oneResult}), g's value is f's last argument and both are
   * called without argument or result arrays ({@code call1..3}). Evaluation order is Luau's either way: f, a, g,
   * b, c, the call of g, the call of f. The code is kept compact: a hash function has dozens of these in one
   * body, which must stay under HotSpot's method size limit.
   */
  void nestedCall(Exprs.Call x, Exprs.Call inner, boolean all) {
    CodeBuilder c = cb;
    int n = x.args.length;
    int fn = refTemp();
    obj(x.fn);
    c.astore(fn);
    int[] outerArgs = new int[n];
    for (int i = 0; i < n - 1; i++) {
      outerArgs[i] = refTemp();
      obj(x.args[i]);
      c.astore(outerArgs[i]);
    }
    int innerFn = refTemp();
    obj(inner.fn);
    c.astore(innerFn);
    int[] innerArgs = argTemps(inner.args);
    int k = innerArgs.length;
    int last = refTemp();
    outerArgs[n - 1] = last;
    Label general = c.newLabel();
    Label done = c.newLabel();
    c.aload(fn);
    rt("isOneResult", CD_boolean, CD_Object);
    c.ifeq(general);
    c.aload(innerFn);
    rt("isOneResult", CD_boolean, CD_Object);
    c.ifeq(general);
    line(inner.line);
    hostCall(innerFn, innerArgs);
    c.astore(last);
    line(x.line);
    hostCall(fn, outerArgs);
    if (all) {
      rt("array1", CD_ARR, CD_Object);
    }
    c.goto_(done);
    c.labelBinding(general);
    // anything else: g's values appended to f's fixed arguments, through the runtime's general paths
    c.aload(F).loadConstant(inner.line).aload(innerFn);
    pushArgs(-1, innerArgs);
    rt("array" + k, CD_ARR, params(0, k));
    rt("callv", CD_ARR, CD_FRAME, CD_int, CD_Object, CD_ARR);
    c.astore(last); // (an Object[] here)
    c.aload(F).loadConstant(x.line).aload(fn);
    for (int i = 0; i < n - 1; i++) {
      c.aload(outerArgs[i]);
    }
    rt("array" + (n - 1), CD_ARR, params(0, n - 1));
    c.aload(last).checkcast(CD_ARR);
    rt("append", CD_ARR, CD_ARR, CD_ARR);
    rt("callv", CD_ARR, CD_FRAME, CD_int, CD_Object, CD_ARR);
    if (!all) {
      rt("first", CD_Object, CD_ARR);
    }
    c.labelBinding(done);
    for (int t : innerArgs) {
      freeRef(t);
    }
    freeRef(innerFn);
    for (int t : outerArgs) {
      freeRef(t);
    }
    freeRef(fn);
  }

  /** Calls the builtin in temp {@code fn} (one for certain) with the arguments in temps; pushes its first result. */
  void hostCall(int fn, int[] args) {
    CodeBuilder c = cb;
    int k = args.length;
    if (compact) {
      c.aload(F).aload(fn);
      pushArgs(-1, args);
      ClassDesc[] p = params(2, k);
      p[0] = CD_FRAME;
      p[1] = CD_Object;
      rt("host" + k, CD_Object, p);
      return;
    }
    c.aload(F).aload(fn);
    rt("hostBody", CD_HOSTFN, CD_FRAME, CD_Object); // also marks it as the frame's running builtin
    c.aload(L);
    pushArgs(-1, args);
    c.invokeinterface(CD_HOSTFN, "call" + k, hostCallType(k));
    c.aload(F).aconst_null().putfield(CD_FRAME, "hostCallee", CD_FN);
  }

  /** Pushes frame, line, name, self and the looked-up method. */
  void methodHead(Exprs.MethodCall x) {
    CodeBuilder c = cb;
    c.aload(F).loadConstant(x.line);
    constant(x.name);
    obj(x.object);
    c.dup().aload(F).loadConstant(x.line);
    constant(x.name);
    rt("method", CD_Object, CD_Object, CD_FRAME, CD_int, CD_STRING);
  }

  void methodCall(Exprs.MethodCall x, boolean all) {
    CodeBuilder c = cb;
    if (!x.lastMulti && x.args.length <= 2) {
      int self = refTemp();
      int fn = refTemp();
      obj(x.object);
      c.astore(self);
      c.aload(self).aload(F).loadConstant(x.line);
      constant(x.name);
      rt("method", CD_Object, CD_Object, CD_FRAME, CD_int, CD_STRING);
      c.astore(fn);
      directCall(x.line, x.name, self, fn, argTemps(x.args), all);
      freeRef(fn);
      freeRef(self);
      return;
    }
    methodHead(x);
    ClassDesc ret = all ? CD_ARR : CD_Object;
    if (x.lastMulti) {
      args(x.args);
      rt("mcallv", CD_ARR, CD_FRAME, CD_int, CD_STRING, CD_Object, CD_Object, CD_ARR);
      if (!all) {
        rt("first", CD_Object, CD_ARR);
      }
    } else {
      args(x.args);
      rt(all ? "mcallN" : "mcall1", ret, CD_FRAME, CD_int, CD_STRING, CD_Object, CD_Object, CD_ARR);
    }
  }

  /** Evaluates arguments left to right into fresh reference temps. */
  int[] argTemps(Expr[] args) {
    int[] t = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      t[i] = refTemp();
      obj(args[i]);
      cb.astore(t[i]);
    }
    return t;
  }

  /**
   * A call with its callee, optional self and arguments in temps. A fixed-arity Luau callee runs right here:
   * the frame is pushed by {@code LuauClosure.begin}, its body is invoked from this site (so HotSpot profiles
   * and usually inlines the one body class it sees here) and {@code complete}/{@code end}/{@code abort}
   * finish exactly as {@code LuauClosure.run} does. Any other callee takes the general path in the runtime.
   */
  void directCall(int line, LuauString name, int self, int fn, int[] args, boolean all) {
    CodeBuilder c = cb;
    int k = args.length + (self >= 0 ? 1 : 0);
    Label general = c.newLabel();
    Label done = c.newLabel();
    Label tryStart = c.newLabel();
    Label tryEnd = c.newLabel();
    Label handler = c.newLabel();
    int closure = refTemp();
    int frame = refTemp();
    line(line);
    c.aload(fn);
    rt("directClosure", CD_CLOSURE, CD_Object);
    c.dup().astore(closure).ifnull(general);
    c.aload(L).aload(closure);
    pushArgs(self, args);
    ClassDesc[] p = params(2, k);
    p[0] = CD_THREAD;
    p[1] = CD_CLOSURE;
    rt("enter" + k, CD_FRAME, p); // the callee's frame, arguments in its slots, pushed
    c.astore(frame);
    c.labelBinding(tryStart);
    c.aload(closure).getfield(CD_CLOSURE, "proto", CD_PROTO).aload(L)
        .invokevirtual(CD_PROTO, "enter", MethodTypeDesc.of(CD_STAT, CD_THREAD))
        .aload(frame).invokevirtual(CD_STAT, "exec", MethodTypeDesc.of(CD_int, CD_FRAME));
    c.aload(frame);
    rt("complete", CD_FRAME, CD_int, CD_FRAME);
    c.labelBinding(tryEnd);
    if (all) {
      rt("results", CD_ARR, CD_FRAME);
    } else {
      rt("result1", CD_Object, CD_FRAME);
    }
    c.goto_(done);
    c.labelBinding(handler);
    ClassDesc throwable = ClassDesc.of("java.lang.Throwable");
    c.aload(frame);
    rt("abort", throwable, throwable, CD_FRAME);
    c.athrow();
    c.exceptionCatchAll(tryStart, tryEnd, handler);
    c.labelBinding(general);
    // a host function: its Java code is called from this site too, as LuauFunction.Host.call would
    Label other = c.newLabel();
    int host = refTemp();
    c.aload(F).aload(fn);
    rt("hostBody", CD_HOSTFN, CD_FRAME, CD_Object); // also marks it as the frame's running builtin
    c.dup().astore(host).ifnull(other);
    c.aload(host).aload(L);
    pushArgs(self, args);
    boolean oneResult = !all && k >= 1 && k <= 3;
    if (oneResult) {
      // f(a[, b[, c]]) whose first result is used: no argument or result array (HostFunction.call1..3)
      ClassDesc[] p1 = params(1, k);
      p1[0] = CD_THREAD;
      c.invokeinterface(CD_HOSTFN, "call" + k, MethodTypeDesc.of(CD_Object, p1));
    } else {
      rt("array" + k, CD_ARR, params(0, k));
      c.invokeinterface(CD_HOSTFN, "call", MethodTypeDesc.of(CD_ARR, CD_THREAD, CD_ARR));
      rt("hostResults", CD_ARR, CD_ARR);
      if (!all) {
        rt("first", CD_Object, CD_ARR);
      }
    }
    c.aload(F).aconst_null().putfield(CD_FRAME, "hostCallee", CD_FN);
    c.goto_(done);
    c.labelBinding(other);
    freeRef(host);
    // anything else (a callable table, a vararg function, nil): the runtime's general path
    c.aload(F).loadConstant(line);
    if (self >= 0) {
      constant(name);
      c.aload(self);
    }
    c.aload(fn);
    for (int a : args) {
      c.aload(a);
    }
    rt("array" + args.length, CD_ARR, params(0, args.length));
    if (self >= 0) {
      rt("mcallv", CD_ARR, CD_FRAME, CD_int, CD_STRING, CD_Object, CD_Object, CD_ARR);
    } else {
      rt("callv", CD_ARR, CD_FRAME, CD_int, CD_Object, CD_ARR);
    }
    if (!all) {
      rt("first", CD_Object, CD_ARR);
    }
    c.labelBinding(done);
    freeRef(frame);
    freeRef(closure);
    for (int a : args) {
      freeRef(a);
    }
  }

  /** Pushes self (when present) and the argument temps. */
  void pushArgs(int self, int[] args) {
    if (self >= 0) {
      cb.aload(self);
    }
    for (int a : args) {
      cb.aload(a);
    }
  }

  void table(Exprs.Table x) {
    CodeBuilder c = cb;
    int t = refTemp();
    c.aload(F).loadConstant(x.positional.length).loadConstant(x.keys.length);
    rt("newTable", CD_TABLE, CD_FRAME, CD_int, CD_int);
    c.astore(t);
    for (int i = 0; i < x.keys.length; i++) {
      c.aload(F).loadConstant(x.line).aload(t);
      obj(x.keys[i]);
      obj(x.values[i]);
      rt("tableSet", CD_void, CD_FRAME, CD_int, CD_TABLE, CD_Object, CD_Object);
    }
    int n = x.positional.length;
    int last = x.lastMulti ? n - 1 : n;
    for (int i = 0; i < last; i++) {
      c.aload(t).loadConstant(i + 1);
      obj(x.positional[i]);
      c.invokevirtual(CD_TABLE, "rawset", MethodTypeDesc.of(CD_void, CD_int, CD_Object));
    }
    if (x.lastMulti) {
      c.aload(t).loadConstant(n);
      multi(x.positional[n - 1]);
      rt("tableAppend", CD_void, CD_TABLE, CD_int, CD_ARR);
    }
    c.aload(t);
    freeRef(t);
  }
}
