package io.templateworker.luau.jit;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Expr;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stat;
import io.templateworker.luau.vm.node.Stats;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates one function's node tree into a JVM class whose {@code exec(Frame)} runs the whole body: the
 * same frame, slots, line tracking and results as the interpreter, minus the per-node virtual dispatch.
 * Locals that always hold numbers ({@link NumberSlots}) live in JVM {@code double} locals; everything else
 * stays in the frame's slots, so tracebacks, the heap walk of the memory limit and debug functions see what
 * they see when interpreted. Number fast paths are emitted inline (each site gets its own branch profile);
 * the rest calls {@link JitRuntime}. Every node kind of the interpreter is handled.
 */
final class CodeGen extends ExprGen {
  /** Loops outlined into methods of their own (compact mode): {@code partK} runs {@code parts.get(K)}. */
  private final List<Stat> parts = new ArrayList<>();
  /** The numeric slots each part reads but does not write, passed in their frame slots. */
  private final List<int[]> partImports = new ArrayList<>();
  /** What the method being generated runs (a part's own loop is not outlined again). */
  private Stat methodRoot;
  /** How often each slot is named in the whole body (outlining needs the numeric ones named in one loop only). */
  private int[] slotUses;
  private Label breakTarget;
  private Label continueTarget;

  private CodeGen(Proto proto, boolean compact) {
    super(proto, compact);
  }

  /** The class file and its constants (the class data the generated class initializer reads). */
  record Output(byte[] bytes, List<Object> constants) {
  }

  static Output generate(Proto proto) {
    return generate(proto, false);
  }

  /**
   * {@code compact}: calls whose first result is used become one static call each (see JitRuntime's compact call
   * sites) instead of the inline closure and builtin paths, for a body too large for HotSpot to inline into.
   */
  static Output generate(Proto proto, boolean compact) {
    CodeGen g = new CodeGen(proto, compact);
    byte[] bytes = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS).build(CD_SELF, g::buildClass);
    return new Output(bytes, List.copyOf(g.constants));
  }

  /** The bytecode length of the generated {@code exec} method, or of its longest outlined part when longer. */
  static int bodyLength(byte[] classFile) {
    return ClassFile.of().parse(classFile).methods().stream()
        .filter(m -> m.methodName().equalsString("exec") || m.methodName().stringValue().startsWith("part"))
        .flatMap(m -> m.code().stream())
        .mapToInt(code -> ((java.lang.classfile.attribute.CodeAttribute) code).codeLength())
        .max().orElse(0);
  }

  private void buildClass(ClassBuilder clb) {
    // Class file version 49 (Java 5) has no stack map frames: the JVM's own verifier infers the types, so
    // generating a class skips the class file library's stack map computation, which is most of its work
    // and, early in a process, runs in the JVM's bytecode interpreter.
    clb.withVersion(ClassFile.JAVA_5_VERSION, 0);
    clb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
    clb.withSuperclass(CD_STAT);
    clb.withMethodBody("<init>", MethodTypeDesc.of(CD_void), ClassFile.ACC_PUBLIC,
        c -> c.aload(0).invokespecial(CD_STAT, "<init>", MethodTypeDesc.of(CD_void)).return_());
    clb.withMethodBody("exec", MethodTypeDesc.of(CD_int, CD_FRAME), ClassFile.ACC_PUBLIC, this::body);
    for (int k = 0; k < parts.size(); k++) { // a part may outline loops of its own: parts grows meanwhile
      Stat loop = parts.get(k);
      int[] imports = partImports.get(k);
      clb.withMethodBody("part" + k, MethodTypeDesc.of(CD_int, CD_FRAME), ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
          c -> method(c, loop, imports));
    }
    // constants are known only after the body is generated
    for (int i = 0; i < constants.size(); i++) {
      clb.withField("k" + i, typeOf(constants.get(i)),
          ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC | ClassFile.ACC_FINAL);
    }
    clb.withMethodBody("<clinit>", MethodTypeDesc.of(CD_void), ClassFile.ACC_STATIC, c -> {
      if (!constants.isEmpty()) {
        ClassDesc lookup = ClassDesc.of("java.lang.invoke.MethodHandles$Lookup");
        ClassDesc handles = ClassDesc.of("java.lang.invoke.MethodHandles");
        c.invokestatic(handles, "lookup", MethodTypeDesc.of(lookup));
        c.ldc(ConstantDescs.DEFAULT_NAME);
        c.ldc(CD_LIST);
        c.invokestatic(handles, "classData", MethodTypeDesc.of(CD_Object, lookup, CD_String,
            ClassDesc.of("java.lang.Class")));
        c.checkcast(CD_LIST);
        c.astore(0);
        for (int i = 0; i < constants.size(); i++) {
          ClassDesc t = typeOf(constants.get(i));
          c.aload(0);
          c.loadConstant(i);
          c.invokeinterface(CD_LIST, "get", MethodTypeDesc.of(CD_Object, CD_int));
          c.checkcast(t);
          c.putstatic(CD_SELF, "k" + i, t);
        }
      }
      c.return_();
    });
  }

  // ---- method body ---------------------------------------------------------------------------------

  private void body(CodeBuilder c) {
    method(c, proto.body(), new int[0]);
  }

  /**
   * A method running {@code run} on the frame: {@code exec} runs the whole body, {@code partK} one outlined loop
   * (compact mode). Both have the same locals: the frame, its slots, thread and upvalues, the numeric slots.
   */
  private void method(CodeBuilder c, Stat run, int[] imports) {
    cb = c;
    methodRoot = run;
    nextLocal = firstTemp;
    freeRefs.clear();
    freeDoubles.clear();
    freeInts.clear();
    breakTarget = null;
    continueTarget = null;
    Label reserve = c.newLabel();
    Label start = c.newLabel();
    c.goto_(reserve);
    c.labelBinding(start);
    c.aload(F).getfield(CD_FRAME, "slots", CD_ARR).astore(SLOTS);
    c.aload(F).getfield(CD_FRAME, "L", CD_THREAD).astore(L);
    c.aload(F).getfield(CD_FRAME, "closure", CD_CLOSURE)
        .getfield(CD_CLOSURE, "upvals", CD_CELL.arrayType()).astore(UPVALS);
    for (int s = 0; s < num.length; s++) {
      if (num[s]) {
        c.dconst_0().dstore(dslot[s]); // the verifier wants every local assigned; never read before a store
      }
    }
    for (int s : imports) {
      c.aload(SLOTS).loadConstant(s).aaload();
      unbox();
      c.dstore(dslot[s]);
    }
    stat(run);
    c.iconst_0().ireturn();
    // max_locals must cover every local the code names, also those only unreachable code uses (the rest of a
    // block after `continue`): the builder counts the locals of reachable code, the verifier checks all code.
    // So the method starts by jumping here, storing to the highest local, and jumping back.
    c.labelBinding(reserve);
    c.aconst_null().astore(nextLocal - 1).goto_(start);
  }

  private void stat(Stat s) {
    CodeBuilder c = cb;
    int[] imports = compact && s != methodRoot ? outlineImports(s) : null;
    if (imports != null) {
      // partK(frame): 0 when the loop ended, RETURN when a return inside it ran (f.ret and friends are set);
      // numeric locals it only reads travel boxed in their frame slots
      int k = parts.size();
      parts.add(s);
      partImports.add(imports);
      for (int slot : imports) {
        c.aload(SLOTS).loadConstant(slot).dload(dslot[slot]);
        box();
        c.aastore();
      }
      Label normal = c.newLabel();
      c.aload(THIS).aload(F).invokevirtual(CD_SELF, "part" + k, MethodTypeDesc.of(CD_int, CD_FRAME));
      c.dup().ifeq(normal).ireturn();
      c.labelBinding(normal);
      c.pop();
      return;
    }
    switch (s) {
      case Stats.Block b -> {
        for (Stat x : b.body) {
          stat(x);
        }
      }
      case Stats.ExprStat x -> {
        line(x.line);
        obj(x.e); // a call statement: its results are dropped, so the one-result call paths serve
        c.pop();
      }
      case Stats.SetLocal x -> {
        line(x.line);
        if (num[x.slot]) {
          dbl(x.e);
          c.dstore(dslot[x.slot]);
        } else {
          c.aload(SLOTS).loadConstant(x.slot);
          obj(x.e);
          c.aastore();
        }
      }
      case Stats.NewCell x -> {
        line(x.line);
        c.aload(SLOTS).loadConstant(x.slot);
        if (x.e == null) {
          c.aconst_null();
        } else {
          obj(x.e);
        }
        rt("cell", CD_CELL, CD_Object);
        c.aastore();
      }
      case Stats.SetCell x -> {
        line(x.line);
        c.aload(SLOTS).loadConstant(x.slot).aaload().checkcast(CD_CELL);
        obj(x.e);
        c.putfield(CD_CELL, "v", CD_Object);
      }
      case Stats.SetUpval x -> {
        line(x.line);
        c.aload(UPVALS).loadConstant(x.index).aaload();
        obj(x.e);
        c.putfield(CD_CELL, "v", CD_Object);
      }
      case Stats.SetGlobal x -> {
        line(x.line);
        c.aload(F).loadConstant(x.line);
        constant(x.name);
        obj(x.e);
        rt("setGlobal", CD_void, CD_FRAME, CD_int, CD_STRING, CD_Object);
      }
      case Stats.SetIndex x -> {
        line(x.line);
        c.aload(F).loadConstant(x.line);
        obj(x.object);
        if (x.key instanceof Exprs.Const k && k.value instanceof LuauString name) {
          constant(name);
          obj(x.e);
          rt("setField", CD_void, CD_FRAME, CD_int, CD_Object, CD_STRING, CD_Object);
        } else {
          obj(x.key);
          obj(x.e);
          rt("setIndex", CD_void, CD_FRAME, CD_int, CD_Object, CD_Object, CD_Object);
        }
      }
      case Stats.MultiAssign x -> multiAssign(x);
      case Stats.LocalMulti x -> localMulti(x);
      case Stats.CompoundAssign x -> compound(x);
      case Stats.Return x -> {
        line(x.line);
        Expr[] v = x.values;
        c.aload(F);
        if (v.length == 1 && v[0].isMulti()) {
          multi(v[0]);
          c.putfield(CD_FRAME, "ret", CD_ARR);
        } else if (v.length == 1) {
          obj(v[0]);
          c.putfield(CD_FRAME, "ret1", CD_Object);
        } else if (v.length == 0) {
          c.getstatic(CD_FN, "NONE", CD_ARR);
          c.putfield(CD_FRAME, "ret", CD_ARR);
        } else {
          args(v);
          c.putfield(CD_FRAME, "ret", CD_ARR);
        }
        c.loadConstant(Stat.RETURN).ireturn();
      }
      case Stats.TailCall x -> tailCall(x);
      case Stats.Break x -> c.goto_(breakTarget);
      case Stats.Continue x -> c.goto_(continueTarget);
      case Stats.If x -> {
        line(x.line);
        Label end = c.newLabel();
        for (int i = 0; i < x.conds.length; i++) {
          Label next = c.newLabel();
          cond(x.conds[i], next, false);
          stat(x.bodies[i]);
          c.goto_(end);
          c.labelBinding(next);
        }
        if (x.otherwise != null) {
          stat(x.otherwise);
        }
        c.labelBinding(end);
      }
      case Stats.IfThen x -> {
        line(x.line);
        Label end = c.newLabel();
        cond(x.cond, end, false);
        stat(x.body);
        c.labelBinding(end);
      }
      case Stats.While x -> {
        Label top = c.newLabel();
        Label cont = c.newLabel();
        Label exit = c.newLabel();
        c.labelBinding(top);
        line(x.line);
        cond(x.cond, exit, false);
        loopBody(x.body, exit, cont);
        c.labelBinding(cont);
        checkInterrupt();
        c.goto_(top);
        c.labelBinding(exit);
      }
      case Stats.Repeat x -> {
        Label top = c.newLabel();
        Label cont = c.newLabel();
        Label exit = c.newLabel();
        c.labelBinding(top);
        loopBody(x.body, exit, cont);
        c.labelBinding(cont);
        line(x.line);
        cond(x.cond, exit, true);
        checkInterrupt();
        c.goto_(top);
        c.labelBinding(exit);
      }
      case Stats.NumericFor x -> numericFor(x);
      case Stats.GenericFor x -> genericFor(x);
      default -> throw new Unsupported(s.getClass().getSimpleName());
    }
  }

  /** Loops of at least this many nodes are outlined in compact mode, when they can be. */
  private static final int OUTLINE_MIN_NODES = 40;

  /**
   * When loop {@code s} can run in a method of its own, the numeric slots it must be given (else null). A numeric
   * slot is a JVM local, which the other method cannot see: one the loop names must be named nowhere else in the
   * body, or only read by the loop (its value is then passed in; nothing comes back).
   */
  private int[] outlineImports(Stat s) {
    if (!(s instanceof Stats.While || s instanceof Stats.Repeat || s instanceof Stats.NumericFor
        || s instanceof Stats.GenericFor) || Nodes.count(s) < OUTLINE_MIN_NODES) {
      return null;
    }
    if (slotUses == null) {
      slotUses = slotUses(proto.body(), false);
    }
    int[] inside = slotUses(s, false);
    int[] written = slotUses(s, true);
    int[] imports = new int[num.length];
    int n = 0;
    for (int slot = 0; slot < num.length; slot++) {
      if (num[slot] && inside[slot] > 0 && inside[slot] != slotUses[slot]) {
        if (written[slot] > 0) {
          return null;
        }
        imports[n++] = slot;
      }
    }
    return java.util.Arrays.copyOf(imports, n);
  }

  /** How often each slot is read or written (only written: {@code writes}) under {@code node}. */
  private int[] slotUses(Stat node, boolean writes) {
    int[] uses = new int[num.length];
    Nodes.walk(node, n -> {
      switch (n) {
        case Exprs.LocalGet g -> uses[g.slot] += writes ? 0 : 1;
        case Exprs.CellGet g -> uses[g.slot] += writes ? 0 : 1;
        case Stats.SetLocal x -> uses[x.slot]++;
        case Stats.NewCell x -> uses[x.slot]++;
        case Stats.SetCell x -> uses[x.slot]++;
        case Stats.NumericFor x -> uses[x.slot]++;
        case Stats.LocalMulti x -> {
          for (int slot : x.slots) {
            uses[slot]++;
          }
        }
        case Stats.GenericFor x -> {
          for (int slot : x.slots) {
            uses[slot]++;
          }
        }
        case Stats.MultiAssign x -> {
          for (Stats.Target t : x.targets) {
            if (t instanceof Stats.LocalTarget lt) {
              uses[lt.slot]++;
            }
          }
        }
        case Stats.CompoundAssign x -> {
          if (x.target instanceof Stats.LocalTarget lt) {
            uses[lt.slot]++;
          }
        }
        default -> {
        }
      }
    });
    return uses;
  }

  private void loopBody(Stat body, Label exit, Label cont) {
    Label savedBreak = breakTarget;
    Label savedContinue = continueTarget;
    breakTarget = exit;
    continueTarget = cont;
    stat(body);
    breakTarget = savedBreak;
    continueTarget = savedContinue;
  }

  /** Evaluates a numeric for's start/limit/step: numbers for certain stay unboxed, others are checked. */
  private void forNumber(Expr e, String what) {
    if (isNum(e)) {
      dbl(e);
    } else {
      obj(e);
      cb.loadConstant(what);
      rt("forNumber", CD_double, CD_Object, CD_String);
    }
  }

  private void numericFor(Stats.NumericFor x) {
    CodeBuilder c = cb;
    line(x.line);
    int i = doubleTemp();
    int lim = doubleTemp();
    forNumber(x.start, "initial value");
    c.dstore(i);
    forNumber(x.limit, "limit");
    c.dstore(lim);
    // a constant step fixes the direction at compile time; otherwise it is decided once, before the loop
    Double constStep = x.step == null ? Double.valueOf(1) : x.step instanceof Exprs.Const k
        && k.value instanceof Double d ? d : null;
    int st = -1;
    int up = -1;
    if (constStep == null) {
      st = doubleTemp();
      forNumber(x.step, "step");
      c.dstore(st);
      up = intTemp();
      c.dload(st).dconst_0().dcmpl();
      Label pos = c.newLabel();
      Label done = c.newLabel();
      c.ifgt(pos).iconst_0().istore(up).goto_(done);
      c.labelBinding(pos);
      c.iconst_1().istore(up);
      c.labelBinding(done);
    }
    Label top = c.newLabel();
    Label cont = c.newLabel();
    Label exit = c.newLabel();
    Label run = c.newLabel();
    c.labelBinding(top);
    if (constStep != null) {
      if (constStep > 0) {
        c.dload(i).dload(lim).dcmpg().ifgt(exit);
      } else {
        c.dload(lim).dload(i).dcmpg().ifgt(exit);
      }
    } else {
      Label down = c.newLabel();
      c.iload(up).ifeq(down);
      c.dload(i).dload(lim).dcmpg().ifgt(exit).goto_(run);
      c.labelBinding(down);
      c.dload(lim).dload(i).dcmpg().ifgt(exit);
    }
    c.labelBinding(run);
    if (num[x.slot]) {
      c.dload(i).dstore(dslot[x.slot]);
    } else {
      c.aload(SLOTS).loadConstant(x.slot).dload(i);
      box();
      if (x.cell) {
        rt("cell", CD_CELL, CD_Object);
      }
      c.aastore();
    }
    loopBody(x.body, exit, cont);
    c.labelBinding(cont);
    checkInterrupt();
    c.dload(i);
    if (constStep != null) {
      c.loadConstant(constStep.doubleValue());
    } else {
      c.dload(st);
    }
    c.dadd().dstore(i);
    c.goto_(top);
    c.labelBinding(exit);
    freeDouble(i);
    freeDouble(lim);
    if (constStep == null) {
      freeDouble(st);
      freeIntTemp(up);
    }
  }

  private void genericFor(Stats.GenericFor x) {
    CodeBuilder c = cb;
    line(x.line);
    int[] init = adjust(x.values, 3);
    int it = refTemp();
    c.aload(F).aload(init[0]).aload(init[1]).aload(init[2]);
    c.invokestatic(CD_FORIN, "start", MethodTypeDesc.of(CD_FORIN, CD_FRAME, CD_Object, CD_Object, CD_Object));
    c.astore(it);
    for (int t : init) {
      freeRef(t);
    }
    Label top = c.newLabel();
    Label cont = c.newLabel();
    Label exit = c.newLabel();
    c.labelBinding(top);
    c.aload(it).aload(F).loadConstant(x.line)
        .invokevirtual(CD_FORIN, "next", MethodTypeDesc.of(CD_boolean, CD_FRAME, CD_int));
    c.ifeq(exit);
    for (int k = 0; k < x.slots.length; k++) {
      c.aload(SLOTS).loadConstant(x.slots[k]);
      c.aload(it).loadConstant(k).invokevirtual(CD_FORIN, "value", MethodTypeDesc.of(CD_Object, CD_int));
      if (x.cells[k]) {
        rt("cell", CD_CELL, CD_Object);
      }
      c.aastore();
    }
    loopBody(x.body, exit, cont);
    c.labelBinding(cont);
    checkInterrupt();
    c.goto_(top);
    c.labelBinding(exit);
    freeRef(it);
  }

  /**
   * Evaluates {@code values} adjusted to exactly {@code n} results into fresh reference temps (missing
   * values nil, extra ones evaluated and dropped), as {@code Stats.adjust}.
   */
  private int[] adjust(Expr[] values, int n) {
    CodeBuilder c = cb;
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = refTemp();
    }
    int m = values.length;
    int assigned = 0;
    for (int i = 0; i < m; i++) {
      Expr e = values[i];
      if (i == m - 1 && e.isMulti()) {
        int arr = refTemp();
        multi(e);
        c.astore(arr);
        for (int j = i; j < n; j++) {
          c.aload(arr).loadConstant(j - i);
          rt("at", CD_Object, CD_ARR, CD_int);
          c.astore(t[j]);
        }
        freeRef(arr);
        assigned = Math.max(assigned, n);
      } else if (i < n) {
        obj(e);
        c.astore(t[i]);
        assigned = i + 1;
      } else {
        obj(e);
        c.pop();
      }
    }
    for (int j = assigned; j < n; j++) {
      c.aconst_null().astore(t[j]);
    }
    return t;
  }

  private void localMulti(Stats.LocalMulti x) {
    CodeBuilder c = cb;
    line(x.line);
    if (x.values.length == x.slots.length) {
      // one value per name, stored as computed (the new locals are not in scope for the later values)
      for (int i = 0; i < x.slots.length; i++) {
        int s = x.slots[i];
        if (num[s]) {
          dbl(x.values[i]);
          c.dstore(dslot[s]);
        } else {
          c.aload(SLOTS).loadConstant(s);
          obj(x.values[i]);
          if (x.cells[i]) {
            rt("cell", CD_CELL, CD_Object);
          }
          c.aastore();
        }
      }
      return;
    }
    int[] t = adjust(x.values, x.slots.length);
    for (int i = 0; i < x.slots.length; i++) {
      c.aload(SLOTS).loadConstant(x.slots[i]).aload(t[i]);
      if (x.cells[i]) {
        rt("cell", CD_CELL, CD_Object);
      }
      c.aastore();
      freeRef(t[i]);
    }
  }

  private void multiAssign(Stats.MultiAssign x) {
    CodeBuilder c = cb;
    line(x.line);
    int n = x.targets.length;
    int[] objs = new int[n];
    int[] keys = new int[n];
    for (int i = 0; i < n; i++) {
      if (x.targets[i] instanceof Stats.IndexTarget it) {
        objs[i] = refTemp();
        keys[i] = refTemp();
        obj(it.object);
        c.astore(objs[i]);
        obj(it.key);
        c.astore(keys[i]);
      }
    }
    int[] vals = adjust(x.values, n);
    line(x.line);
    for (int i = 0; i < n; i++) {
      int v = vals[i];
      storeTarget(x.targets[i], x.line, objs[i], keys[i], () -> c.aload(v));
      if (x.targets[i] instanceof Stats.IndexTarget) {
        freeRef(objs[i]);
        freeRef(keys[i]);
      }
      freeRef(vals[i]);
    }
  }

  /** Stores the value pushed by {@code value} (an Object) into a target of a multiple/compound assignment. */
  private void storeTarget(Stats.Target target, int line, int objTemp, int keyTemp, Runnable value) {
    CodeBuilder c = cb;
    switch (target) {
      case Stats.LocalTarget t -> {
        if (t.cell) {
          c.aload(SLOTS).loadConstant(t.slot).aaload().checkcast(CD_CELL);
          value.run();
          c.putfield(CD_CELL, "v", CD_Object);
        } else if (num[t.slot]) {
          value.run();
          unbox();
          c.dstore(dslot[t.slot]);
        } else {
          c.aload(SLOTS).loadConstant(t.slot);
          value.run();
          c.aastore();
        }
      }
      case Stats.UpvalTarget t -> {
        c.aload(UPVALS).loadConstant(t.index).aaload();
        value.run();
        c.putfield(CD_CELL, "v", CD_Object);
      }
      case Stats.GlobalTarget t -> {
        c.aload(F).loadConstant(line);
        constant(t.name);
        value.run();
        rt("setGlobal", CD_void, CD_FRAME, CD_int, CD_STRING, CD_Object);
      }
      case Stats.IndexTarget t -> {
        c.aload(F).aload(objTemp).aload(keyTemp);
        value.run();
        rt("store", CD_void, CD_FRAME, CD_Object, CD_Object, CD_Object);
      }
      default -> throw new Unsupported(target.getClass().getSimpleName());
    }
  }

  private void compound(Stats.CompoundAssign x) {
    CodeBuilder c = cb;
    line(x.line);
    if (x.target instanceof Stats.LocalTarget t && !t.cell && num[t.slot]) {
      // numeric local: x op= v with v a number for certain (NumberSlots checked it)
      c.dload(dslot[t.slot]);
      dbl(x.value);
      numOp(x.op);
      c.dstore(dslot[t.slot]);
      return;
    }
    int o = -1;
    int k = -1;
    int cur = refTemp();
    if (x.objectExpr != null) {
      o = refTemp();
      k = refTemp();
      obj(x.objectExpr);
      c.astore(o);
      obj(x.keyExpr);
      c.astore(k);
      c.aload(F).aload(o).aload(k);
      rt("load", CD_Object, CD_FRAME, CD_Object, CD_Object);
    } else {
      obj(x.read);
    }
    c.astore(cur);
    int rhs = refTemp();
    obj(x.value);
    c.astore(rhs);
    line(x.line);
    int result = refTemp();
    if (x.op < 0) {
      c.aload(F).aload(cur).aload(rhs);
      rt("concat2", CD_Object, CD_FRAME, CD_Object, CD_Object);
    } else {
      arithRefs(x.op, x.line, cur, rhs);
    }
    c.astore(result);
    storeTarget(x.target, x.line, o, k, () -> c.aload(result));
    freeRef(result);
    freeRef(rhs);
    freeRef(cur);
    if (o >= 0) {
      freeRef(o);
      freeRef(k);
    }
  }

  private void tailCall(Stats.TailCall x) {
    CodeBuilder c = cb;
    line(x.line);
    Label deep = c.newLabel();
    c.aload(L).invokevirtual(CD_THREAD, "callDepth", MethodTypeDesc.of(CD_int));
    c.loadConstant(Stats.TailCall.TRAMPOLINE_DEPTH).if_icmpge(deep);
    c.aload(F);
    multi(x.call);
    c.putfield(CD_FRAME, "ret", CD_ARR);
    c.loadConstant(Stat.RETURN).ireturn();
    c.labelBinding(deep);
    switch (x.call) {
      case Exprs.Call call -> {
        c.aload(F).loadConstant(call.line);
        obj(call.fn);
        args(call.args);
        rt("tail", CD_int, CD_FRAME, CD_int, CD_Object, CD_ARR);
      }
      case Exprs.MethodCall m -> {
        methodHead(m);
        args(m.args);
        rt("tailMethod", CD_int, CD_FRAME, CD_int, CD_STRING, CD_Object, CD_Object, CD_ARR);
      }
      default -> throw new Unsupported("tail call of " + x.call.getClass().getSimpleName());
    }
    c.ireturn();
  }

}
