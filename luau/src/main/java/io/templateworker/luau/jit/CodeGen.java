package io.templateworker.luau.jit;

import static java.lang.constant.ConstantDescs.CD_Boolean;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_Double;
import static java.lang.constant.ConstantDescs.CD_Long;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_byte;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Expr;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stat;
import io.templateworker.luau.vm.node.Stats;
import java.lang.classfile.ClassBuilder;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one function's node tree into a JVM class whose {@code exec(Frame)} runs the whole body: the
 * same frame, slots, line tracking and results as the interpreter, minus the per-node virtual dispatch.
 * Locals that always hold numbers ({@link NumberSlots}) live in JVM {@code double} locals; everything else
 * stays in the frame's slots, so tracebacks, the heap walk of the memory limit and debug functions see what
 * they see when interpreted. Number fast paths are emitted inline (each site gets its own branch profile);
 * the rest calls {@link JitRuntime}. Every node kind of the interpreter is handled.
 */
final class CodeGen {
  static final String CLASS_NAME = "io.templateworker.luau.jit.CompiledFunction";

  private static final ClassDesc CD_SELF = ClassDesc.of(CLASS_NAME);
  private static final ClassDesc CD_STAT = desc(Stat.class);
  private static final ClassDesc CD_FRAME = desc(io.templateworker.luau.vm.Frame.class);
  private static final ClassDesc CD_RT = desc(JitRuntime.class);
  private static final ClassDesc CD_CELL = desc(io.templateworker.luau.vm.Cell.class);
  private static final ClassDesc CD_THREAD = desc(io.templateworker.luau.vm.LuauThread.class);
  private static final ClassDesc CD_CLOSURE = desc(io.templateworker.luau.vm.LuauClosure.class);
  private static final ClassDesc CD_TABLE = desc(io.templateworker.luau.value.LuauTable.class);
  private static final ClassDesc CD_STRING = desc(LuauString.class);
  private static final ClassDesc CD_PROTO = desc(Proto.class);
  private static final ClassDesc CD_FORIN = desc(io.templateworker.luau.vm.ForIn.class);
  private static final ClassDesc CD_OPS = desc(Ops.class);
  private static final ClassDesc CD_ARR = CD_Object.arrayType();
  private static final ClassDesc CD_LIST = ClassDesc.of("java.util.List");
  private static final ClassDesc CD_FN = desc(io.templateworker.luau.value.LuauFunction.class);
  private static final ClassDesc CD_HOSTFN = desc(io.templateworker.luau.value.HostFunction.class);
  private static final ClassDesc CD_FIELD_CACHE = desc(FieldCache.class);

  /** Compact mode's arithmetic helpers in JitRuntime, by operator. */
  private static final Map<Integer, String> COMPACT_ARITH = Map.of(Ops.ADD, "add", Ops.SUB, "sub", Ops.MUL, "mul",
      Ops.DIV, "div", Ops.MOD, "mod");

  private static final int THIS = 0;
  private static final int F = 1;
  private static final int SLOTS = 2;
  private static final int L = 3;
  private static final int UPVALS = 4;
  private static final int FIRST_FREE = 5;

  private final Proto proto;
  /** Compact call sites ({@link #generate(Proto, boolean)}). */
  private final boolean compact;
  private final boolean[] num;
  /** The JVM local holding each numeric slot, -1 for slots kept in the frame. */
  private final int[] dslot;
  private final List<Object> constants = new ArrayList<>();
  private final Map<Object, Integer> constantIndex = new IdentityHashMap<>();
  private final ArrayDeque<Integer> freeRefs = new ArrayDeque<>();
  private final ArrayDeque<Integer> freeDoubles = new ArrayDeque<>();
  private final ArrayDeque<Integer> freeInts = new ArrayDeque<>();
  /** The first JVM local after the numeric slots' doubles: where each method's temps start. */
  private final int firstTemp;
  private int nextLocal;
  /** Loops outlined into methods of their own (compact mode): {@code partK} runs {@code parts.get(K)}. */
  private final List<Stat> parts = new ArrayList<>();
  /** The numeric slots each part reads but does not write, passed in their frame slots. */
  private final List<int[]> partImports = new ArrayList<>();
  /** What the method being generated runs (a part's own loop is not outlined again). */
  private Stat methodRoot;
  /** How often each slot is named in the whole body (outlining needs the numeric ones named in one loop only). */
  private int[] slotUses;
  private CodeBuilder cb;
  private Label breakTarget;
  private Label continueTarget;

  private CodeGen(Proto proto, boolean compact) {
    this.proto = proto;
    this.compact = compact;
    this.num = NumberSlots.infer(proto);
    this.dslot = new int[num.length];
    int next = FIRST_FREE;
    for (int i = 0; i < num.length; i++) {
      if (num[i]) {
        dslot[i] = next;
        next += 2;
      } else {
        dslot[i] = -1;
      }
    }
    this.firstTemp = next;
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

  private static ClassDesc desc(Class<?> c) {
    return ClassDesc.of(c.getName());
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

  private static ClassDesc typeOf(Object v) {
    return switch (v) {
      case LuauString s -> CD_STRING;
      case Double d -> CD_Double;
      case Long l -> CD_Long;
      case Proto p -> CD_PROTO;
      case FieldCache f -> CD_FIELD_CACHE;
      case byte[][] b -> CD_byte.arrayType(2);
      default -> CD_Object;
    };
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

  private int refTemp() {
    Integer t = freeRefs.poll();
    if (t != null) {
      return t;
    }
    return nextLocal++;
  }

  private int doubleTemp() {
    Integer t = freeDoubles.poll();
    if (t != null) {
      return t;
    }
    int t2 = nextLocal;
    nextLocal += 2;
    return t2;
  }

  /** Int temps have their own pool, like the others: a local keeps one verifier type for its lifetime. */
  private int intTemp() {
    Integer t = freeInts.poll();
    return t != null ? t : nextLocal++;
  }

  private void freeIntTemp(int t) {
    freeInts.push(t);
  }

  private void freeRef(int t) {
    freeRefs.push(t);
  }

  private void freeDouble(int t) {
    freeDoubles.push(t);
  }

  private void constant(Object v) {
    Integer i = constantIndex.get(v);
    if (i == null) {
      i = constants.size();
      constants.add(v);
      constantIndex.put(v, i);
    }
    cb.getstatic(CD_SELF, "k" + i, typeOf(v));
  }

  private void line(int line) {
    cb.aload(F).loadConstant(line).putfield(CD_FRAME, "line", CD_int);
  }

  private void rt(String name, ClassDesc ret, ClassDesc... params) {
    cb.invokestatic(CD_RT, name, MethodTypeDesc.of(ret, params));
  }

  private void box() {
    cb.invokestatic(CD_Double, "valueOf", MethodTypeDesc.of(CD_Double, CD_double));
  }

  private void unbox() {
    cb.checkcast(CD_Double).invokevirtual(CD_Double, "doubleValue", MethodTypeDesc.of(CD_double));
  }

  private void checkInterrupt() {
    cb.aload(L).invokevirtual(CD_THREAD, "checkInterrupt", MethodTypeDesc.of(CD_void));
  }

  private boolean isNum(Expr e) {
    return NumberSlots.isNumber(e, num);
  }

  // ---- statements ----------------------------------------------------------------------------------

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

  // ---- expressions ---------------------------------------------------------------------------------

  /** Pushes the first value of {@code e} as an Object. */
  private void obj(Expr e) {
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
  private void shortCircuit(Expr a, Expr b, boolean keepWhen) {
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
  private void bool(Expr e) {
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
  private void dbl(Expr e) {
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

  private void binary(int op, Expr a, Expr b) {
    dbl(a);
    dbl(b);
    numOp(op);
  }

  /** Applies a number operator to the two doubles on the stack, exactly as {@link Ops#arithNum}. */
  private void numOp(int op) {
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
  private void arith(int op, Expr a, Expr b, int line) {
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

  private void arithRefs(int op, int line, int ta, int tb) {
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
  private void cond(Expr e, Label target, boolean jumpWhen) {
    CodeBuilder c = cb;
    switch (e) {
      case Exprs.Const k -> {
        boolean truth = k.value != null && k.value != Boolean.FALSE;
        if (truth == jumpWhen) {
          c.goto_(target);
        }
      }
      case Exprs.Not x -> cond(x.a, target, !jumpWhen);
      case Exprs.And x -> {
        if (!jumpWhen) {
          cond(x.a, target, false);
          cond(x.b, target, false);
        } else {
          Label skip = c.newLabel();
          cond(x.a, skip, false);
          cond(x.b, target, true);
          c.labelBinding(skip);
        }
      }
      case Exprs.Or x -> {
        if (jumpWhen) {
          cond(x.a, target, true);
          cond(x.b, target, true);
        } else {
          Label skip = c.newLabel();
          cond(x.a, skip, true);
          cond(x.b, target, false);
          c.labelBinding(skip);
        }
      }
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

  private void compare(Exprs.Lt x, Label target, boolean jumpWhen) {
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
  private enum Rel {
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
  private void branch(boolean jumpWhen, Label target, Rel rel) {
    cb.branch(jumpWhen ? rel.holds : rel.fails, target);
  }

  /** Pushes all values of {@code e} as an Object[] (calls and {@code ...} may give several). */
  private void multi(Expr e) {
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
  private void args(Expr[] args) {
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
  private static MethodTypeDesc hostCallType(int k) {
    ClassDesc[] p = params(1, k);
    p[0] = CD_THREAD;
    return MethodTypeDesc.of(CD_Object, p);
  }

  private static ClassDesc[] params(int fixed, int objects) {
    ClassDesc[] p = new ClassDesc[fixed + objects];
    for (int i = fixed; i < p.length; i++) {
      p[i] = CD_Object;
    }
    return p;
  }

  private void call(Exprs.Call x, boolean all) {
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
  private void nestedCall(Exprs.Call x, Exprs.Call inner, boolean all) {
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
  private void hostCall(int fn, int[] args) {
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
  private void methodHead(Exprs.MethodCall x) {
    CodeBuilder c = cb;
    c.aload(F).loadConstant(x.line);
    constant(x.name);
    obj(x.object);
    c.dup().aload(F).loadConstant(x.line);
    constant(x.name);
    rt("method", CD_Object, CD_Object, CD_FRAME, CD_int, CD_STRING);
  }

  private void methodCall(Exprs.MethodCall x, boolean all) {
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
  private int[] argTemps(Expr[] args) {
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
  private void directCall(int line, LuauString name, int self, int fn, int[] args, boolean all) {
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
  private void pushArgs(int self, int[] args) {
    if (self >= 0) {
      cb.aload(self);
    }
    for (int a : args) {
      cb.aload(a);
    }
  }

  private void table(Exprs.Table x) {
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

  /** A node kind or shape the generator does not handle: the function stays interpreted. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super("not compiled: " + what, null, false, false);
    }
  }
}
