package io.templateworker.luau.jit;

import static java.lang.constant.ConstantDescs.CD_Double;
import static java.lang.constant.ConstantDescs.CD_Long;
import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_byte;
import static java.lang.constant.ConstantDescs.CD_double;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Expr;
import io.templateworker.luau.vm.node.Stat;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What generating one compiled function shares between its expression and statement generators: the class's
 * descriptors, the frame's JVM locals, the temps and constants of the method being built, and small emit helpers.
 * {@link ExprGen} adds expressions, {@link CodeGen} the class, its methods and statements.
 */
abstract class Emitter {
  static final String CLASS_NAME = "io.templateworker.luau.jit.CompiledFunction";

  static final ClassDesc CD_SELF = ClassDesc.of(CLASS_NAME);
  static final ClassDesc CD_STAT = desc(Stat.class);
  static final ClassDesc CD_FRAME = desc(io.templateworker.luau.vm.Frame.class);
  static final ClassDesc CD_RT = desc(JitRuntime.class);
  static final ClassDesc CD_CELL = desc(io.templateworker.luau.vm.Cell.class);
  static final ClassDesc CD_THREAD = desc(io.templateworker.luau.vm.LuauThread.class);
  static final ClassDesc CD_CLOSURE = desc(io.templateworker.luau.vm.LuauClosure.class);
  static final ClassDesc CD_TABLE = desc(io.templateworker.luau.value.LuauTable.class);
  static final ClassDesc CD_STRING = desc(LuauString.class);
  static final ClassDesc CD_PROTO = desc(Proto.class);
  static final ClassDesc CD_FORIN = desc(io.templateworker.luau.vm.ForIn.class);
  static final ClassDesc CD_OPS = desc(Ops.class);
  static final ClassDesc CD_ARR = CD_Object.arrayType();
  static final ClassDesc CD_LIST = ClassDesc.of("java.util.List");
  static final ClassDesc CD_FN = desc(io.templateworker.luau.value.LuauFunction.class);
  static final ClassDesc CD_HOSTFN = desc(io.templateworker.luau.value.HostFunction.class);
  static final ClassDesc CD_FIELD_CACHE = desc(FieldCache.class);

  /** Compact mode's arithmetic helpers in JitRuntime, by operator. */
  static final Map<Integer, String> COMPACT_ARITH = Map.of(Ops.ADD, "add", Ops.SUB, "sub", Ops.MUL, "mul",
      Ops.DIV, "div", Ops.MOD, "mod");

  static final int THIS = 0;
  static final int F = 1;
  static final int SLOTS = 2;
  static final int L = 3;
  static final int UPVALS = 4;
  static final int FIRST_FREE = 5;

  final Proto proto;
  /** Compact call sites ({@link #generate(Proto, boolean)}). */
  final boolean compact;
  final boolean[] num;
  /** The JVM local holding each numeric slot, -1 for slots kept in the frame. */
  final int[] dslot;
  final List<Object> constants = new ArrayList<>();
  final Map<Object, Integer> constantIndex = new IdentityHashMap<>();
  final ArrayDeque<Integer> freeRefs = new ArrayDeque<>();
  final ArrayDeque<Integer> freeDoubles = new ArrayDeque<>();
  final ArrayDeque<Integer> freeInts = new ArrayDeque<>();
  /** The first JVM local after the numeric slots' doubles: where each method's temps start. */
  final int firstTemp;
  int nextLocal;
  CodeBuilder cb;

  Emitter(Proto proto, boolean compact) {
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

  static ClassDesc desc(Class<?> c) {
    return ClassDesc.of(c.getName());
  }

  static ClassDesc typeOf(Object v) {
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

  int refTemp() {
    Integer t = freeRefs.poll();
    if (t != null) {
      return t;
    }
    return nextLocal++;
  }

  int doubleTemp() {
    Integer t = freeDoubles.poll();
    if (t != null) {
      return t;
    }
    int t2 = nextLocal;
    nextLocal += 2;
    return t2;
  }

  /** Int temps have their own pool, like the others: a local keeps one verifier type for its lifetime. */
  int intTemp() {
    Integer t = freeInts.poll();
    return t != null ? t : nextLocal++;
  }

  void freeIntTemp(int t) {
    freeInts.push(t);
  }

  void freeRef(int t) {
    freeRefs.push(t);
  }

  void freeDouble(int t) {
    freeDoubles.push(t);
  }

  void constant(Object v) {
    Integer i = constantIndex.get(v);
    if (i == null) {
      i = constants.size();
      constants.add(v);
      constantIndex.put(v, i);
    }
    cb.getstatic(CD_SELF, "k" + i, typeOf(v));
  }

  void line(int line) {
    cb.aload(F).loadConstant(line).putfield(CD_FRAME, "line", CD_int);
  }

  void rt(String name, ClassDesc ret, ClassDesc... params) {
    cb.invokestatic(CD_RT, name, MethodTypeDesc.of(ret, params));
  }

  void box() {
    cb.invokestatic(CD_Double, "valueOf", MethodTypeDesc.of(CD_Double, CD_double));
  }

  void unbox() {
    cb.checkcast(CD_Double).invokevirtual(CD_Double, "doubleValue", MethodTypeDesc.of(CD_double));
  }

  void checkInterrupt() {
    cb.aload(L).invokevirtual(CD_THREAD, "checkInterrupt", MethodTypeDesc.of(CD_void));
  }

  boolean isNum(Expr e) {
    return NumberSlots.isNumber(e, num);
  }

  /** A node kind or shape the generator does not handle: the function stays interpreted. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String what) {
      super("not compiled: " + what, null, false, false);
    }
  }
}
