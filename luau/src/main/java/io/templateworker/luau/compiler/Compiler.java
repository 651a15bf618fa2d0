package io.templateworker.luau.compiler;

import io.templateworker.luau.ast.BinaryOp;
import io.templateworker.luau.ast.Binding;
import io.templateworker.luau.ast.Block;
import io.templateworker.luau.ast.Expr;
import io.templateworker.luau.ast.FunctionBody;
import io.templateworker.luau.ast.Stat;
import io.templateworker.luau.ast.TableField;
import io.templateworker.luau.errors.CompileError;
import io.templateworker.luau.lexer.Span;
import io.templateworker.luau.parser.ParseError;
import io.templateworker.luau.parser.ParseResult;
import io.templateworker.luau.parser.Parser;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.Chunk;
import io.templateworker.luau.vm.Ops;
import io.templateworker.luau.vm.Proto;
import io.templateworker.luau.vm.node.Exprs;
import io.templateworker.luau.vm.node.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Compiles a parsed chunk into an immutable tree of executable nodes. Locals get frame slots (reused when
 * their block ends); locals captured by inner functions live in cells; upvalues are resolved here, so no
 * name lookup happens at run time except for globals.
 */
public final class Compiler {
  /** Luau's limits and messages (Compiler.cpp). */
  static final int MAX_LOCALS = 200;
  static final int MAX_UPVALUES = 200;
  static final int MAX_REGISTERS = 255;

  private final String chunkName;
  private final Set<Binding> captured;
  private final Map<LuauString, LuauString> strings = new HashMap<>();
  private FuncState fs;
  /** REPL mode: the locals of earlier entries, as an enclosing function the main function takes upvalues from. */
  private FuncState replOuter;
  /** REPL mode: the main function's top-level locals when its body was compiled. */
  private List<Local> replTop;

  private Compiler(String chunkName, Set<Binding> captured) {
    this.chunkName = chunkName;
    this.captured = captured;
  }

  /**
   * Nesting compiled on the caller's stack: 100 levels cost at most ~300 KB of stack in the parser and the
   * compiler together, which fits a virtual thread's or a default platform thread's stack. Deeper sources
   * (up to the parser's 1000 levels) are compiled on a {@link #DEEP_STACK} thread instead.
   */
  static final int INLINE_DEPTH = 100;

  /** Stack of the compile threads: 1000 levels of the deepest construct need ~3 MB; reserved, not committed. */
  static final long DEEP_STACK = 32L << 20;

  /** Compile threads with a deep stack, started on demand and ended after idling 30 s. */
  private static final ThreadPoolExecutor DEEP_STACK_POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE,
      30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
        Thread t = new Thread(null, task, "luau-compile", DEEP_STACK);
        t.setDaemon(true);
        return t;
      });

  /**
   * Parses and compiles; throws {@link CompileError} listing every syntax error. Safe on any thread for any
   * nesting the parser accepts: a source nesting deeper than {@link #INLINE_DEPTH} is parsed again and
   * compiled on a thread with a deep stack (a hop of ~30 µs, paid only by such sources).
   */
  public static Chunk compile(byte[] source, String chunkName) {
    ParseResult shallow = Parser.parseWithin(source, chunkName, INLINE_DEPTH);
    if (shallow != null) {
      return compileParsed(shallow, chunkName);
    }
    Future<Chunk> result = DEEP_STACK_POOL.submit(
        () -> compileParsed(Parser.parse(source, chunkName), chunkName));
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true; // a compile is short and bounded: finish it, keep the flag for the caller
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Compiles a parse result on the current thread; a stack far too small ends in a CompileError. */
  private static Chunk compileParsed(ParseResult pr, String chunkName) {
    if (!pr.ok()) {
      List<CompileError.Diagnostic> ds = new ArrayList<>();
      for (ParseError e : pr.errors()) {
        ds.add(new CompileError.Diagnostic(e.line(), e.column(), e.message()));
      }
      throw new CompileError(chunkName, ds);
    }
    try {
      return compile(pr.chunk(), chunkName);
    } catch (StackOverflowError e) {
      // Only when the caller's stack is far smaller than a virtual thread's: the parser's limit comes first.
      throw new CompileError(chunkName, List.of(new CompileError.Diagnostic(1, 1,
          Parser.recursionMessage("code"))));
    }
  }

  /** Compiles an already parsed chunk. */
  public static Chunk compile(Block chunk, String chunkName) {
    Compiler c = new Compiler(chunkName, Resolver.capturedLocals(chunk));
    Proto main = c.mainFunction(chunk);
    return new Chunk(chunkName, main);
  }

  /**
   * One entry of an interactive session, compiled so that locals persist across entries: names in
   * {@code earlierLocals} (declared by earlier entries) are upvalues of the main function, and the entry's own
   * top-level locals live in cells the session keeps after it ran (see {@link ReplEntry}).
   */
  public static ReplEntry compileReplEntry(byte[] source, String chunkName, List<String> earlierLocals) {
    ParseResult pr = Parser.parse(source, chunkName);
    if (!pr.ok()) {
      List<CompileError.Diagnostic> ds = new ArrayList<>();
      for (ParseError e : pr.errors()) {
        ds.add(new CompileError.Diagnostic(e.line(), e.column(), e.message()));
      }
      throw new CompileError(chunkName, ds);
    }
    Block chunk = pr.chunk();
    Set<Binding> captured = Resolver.capturedLocals(chunk);
    for (Stat st : chunk.stats()) {
      if (st instanceof Stat.Local l) {
        captured.addAll(l.names());
      } else if (st instanceof Stat.LocalFunction f) {
        captured.add(f.name());
      }
    }
    Compiler c = new Compiler(chunkName, captured);
    c.replOuter = new FuncState(null, false);
    c.replOuter.blocks.add(new ArrayList<>());
    for (int i = 0; i < earlierLocals.size(); i++) {
      c.replOuter.blocks.get(0).add(new Local(earlierLocals.get(i), i, true));
    }
    Proto main = c.mainFunction(chunk);
    List<String> names = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (Local l : c.replTop) {
      names.add(l.name);
      slots.add(l.slot);
    }
    return new ReplEntry(new Chunk(chunkName, main), names.toArray(new String[0]), toArray(slots));
  }

  /**
   * A compiled REPL entry: its main function's upvalues are the earlier locals it uses
   * ({@code chunk.main().upvalNames}, in order); after it ran, frame slot {@code topSlots[i]} holds the
   * {@link io.templateworker.luau.vm.Cell} of its top-level local {@code topNames[i]} (later ones shadow earlier).
   */
  public record ReplEntry(Chunk chunk, String[] topNames, int[] topSlots) {
  }

  // ---- per-function state ----------------------------------------------------------------------------

  private static final class Local {
    final String name;
    final int slot;
    final boolean cell;
    /** Declared with {@code const}: assignments to it are compile errors. */
    final boolean constant;

    Local(String name, int slot, boolean cell) {
      this(name, slot, cell, false);
    }

    Local(String name, int slot, boolean cell, boolean constant) {
      this.name = name;
      this.slot = slot;
      this.cell = cell;
      this.constant = constant;
    }
  }

  private static final class FuncState {
    final FuncState parent;
    final List<List<Local>> blocks = new ArrayList<>();
    final List<Object> upvalKeys = new ArrayList<>();   // Local of the parent, or Integer parent upvalue
    final List<Integer> upvalSlot = new ArrayList<>();
    final List<Integer> upvalUpval = new ArrayList<>();
    final List<String> upvalNames = new ArrayList<>();
    final boolean vararg;
    int nextSlot;
    int maxSlot;
    int active;

    FuncState(FuncState parent, boolean vararg) {
      this.parent = parent;
      this.vararg = vararg;
    }
  }

  private CompileError error(Span span, String message) {
    return new CompileError(chunkName, List.of(new CompileError.Diagnostic(span.line(), span.column(), message)));
  }

  private void openBlock() {
    fs.blocks.add(new ArrayList<>());
  }

  private void closeBlock() {
    List<Local> b = fs.blocks.remove(fs.blocks.size() - 1);
    fs.active -= b.size();
    if (!b.isEmpty()) {
      fs.nextSlot = b.get(0).slot;
    }
  }

  private Local declare(Binding b) {
    if (fs.active >= MAX_LOCALS) {
      throw error(b.span(), "Out of local registers when trying to allocate " + b.name() + ": exceeded limit "
          + MAX_LOCALS);
    }
    Local l = new Local(b.name(), fs.nextSlot++, captured.contains(b), b.constant());
    fs.maxSlot = Math.max(fs.maxSlot, fs.nextSlot);
    fs.active++;
    fs.blocks.get(fs.blocks.size() - 1).add(l);
    return l;
  }

  private static Local findLocal(FuncState f, String name) {
    for (int i = f.blocks.size() - 1; i >= 0; i--) {
      List<Local> b = f.blocks.get(i);
      for (int j = b.size() - 1; j >= 0; j--) {
        if (b.get(j).name.equals(name)) {
          return b.get(j);
        }
      }
    }
    return null;
  }

  /** Refuses an assignment to a {@code const} local, here or in an enclosing function (Luau's message). */
  private void checkNotConstant(Expr.Name n) {
    for (FuncState f = fs; f != null; f = f.parent) {
      Local l = findLocal(f, n.name());
      if (l != null) {
        if (l.constant) {
          throw error(n.span(), "Variable '" + n.name() + "' is constant and may not be reassigned");
        }
        return;
      }
    }
  }

  /** The index of {@code name} among f's upvalues (added on demand), or -1 for a global. */
  private int findUpval(FuncState f, String name, Span span) {
    if (f.parent == null) {
      return -1;
    }
    Local l = findLocal(f.parent, name);
    Object key;
    int slot = -1;
    int up = -1;
    if (l != null) {
      key = l;
      slot = l.slot;
    } else {
      up = findUpval(f.parent, name, span);
      if (up < 0) {
        return -1;
      }
      key = up;
    }
    for (int i = 0; i < f.upvalKeys.size(); i++) {
      if (f.upvalKeys.get(i).equals(key)) {
        return i;
      }
    }
    if (f.upvalKeys.size() >= MAX_UPVALUES) {
      throw error(span, "Out of upvalue registers when trying to allocate " + name + ": exceeded limit "
          + MAX_UPVALUES);
    }
    f.upvalKeys.add(key);
    f.upvalSlot.add(slot);
    f.upvalUpval.add(up);
    f.upvalNames.add(name);
    return f.upvalKeys.size() - 1;
  }

  private LuauString str(byte[] b) {
    LuauString s = LuauString.wrap(b);
    return strings.computeIfAbsent(s, LuauString::intern);
  }

  private LuauString str(String s) {
    return str(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void checkRegisters(int extra, Span span) {
    int need = fs.active + extra;
    if (need > MAX_REGISTERS) {
      throw error(span, "Out of registers when trying to allocate " + extra + " registers: exceeded limit "
          + MAX_REGISTERS);
    }
  }

  // ---- functions --------------------------------------------------------------------------------------

  private Proto mainFunction(Block chunk) {
    fs = new FuncState(replOuter, true);
    openBlock();
    io.templateworker.luau.vm.node.Stat body = stats(chunk.stats());
    replTop = new ArrayList<>(fs.blocks.get(0));
    closeBlock();
    int n = fs.upvalKeys.size();
    int[] slots = new int[n];
    int[] ups = new int[n];
    for (int i = 0; i < n; i++) {
      slots[i] = fs.upvalSlot.get(i);
      ups[i] = fs.upvalUpval.get(i);
    }
    Proto p = new Proto(null, chunkName, 0, 0, true, Math.max(1, fs.maxSlot), new int[0], slots, ups,
        fs.upvalNames.toArray(new String[0]));
    p.setBody(body);
    return p;
  }

  private Proto function(FunctionBody body, String nameHint) {
    FuncState saved = fs;
    fs = new FuncState(saved, body.vararg());
    openBlock();
    List<Integer> cellParams = new ArrayList<>();
    for (Binding p : body.params()) {
      Local l = declare(p);
      if (l.cell) {
        cellParams.add(l.slot);
      }
    }
    io.templateworker.luau.vm.node.Stat code = stats(body.body().stats());
    closeBlock();
    FuncState done = fs;
    fs = saved;
    String name = body.name() != null ? body.name() : nameHint;
    int n = done.upvalKeys.size();
    int[] slots = new int[n];
    int[] ups = new int[n];
    for (int i = 0; i < n; i++) {
      slots[i] = done.upvalSlot.get(i);
      ups[i] = done.upvalUpval.get(i);
    }
    Proto p = new Proto(name, chunkName, body.span().line(), body.params().size(), body.vararg(),
        Math.max(1, done.maxSlot), toArray(cellParams), slots, ups, done.upvalNames.toArray(new String[0]));
    // Luau's @native asks for native code: here, JVM bytecode from the first call on
    boolean nativeHint = body.attributes().stream().anyMatch(a -> a.name().equals("native"));
    p.setBody(code, nativeHint);
    return p;
  }

  private static int[] toArray(List<Integer> l) {
    int[] a = new int[l.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = l.get(i);
    }
    return a;
  }

  // ---- statements -------------------------------------------------------------------------------------

  private io.templateworker.luau.vm.node.Stat stats(List<Stat> list) {
    List<io.templateworker.luau.vm.node.Stat> out = new ArrayList<>(list.size());
    for (Stat s : list) {
      io.templateworker.luau.vm.node.Stat n = stat(s);
      if (n != null) {
        out.add(n);
      }
    }
    if (out.size() == 1) {
      return out.get(0);
    }
    return new Stats.Block(out.toArray(new io.templateworker.luau.vm.node.Stat[0]));
  }

  private io.templateworker.luau.vm.node.Stat block(Block b) {
    openBlock();
    io.templateworker.luau.vm.node.Stat s = stats(b.stats());
    closeBlock();
    return s;
  }

  private io.templateworker.luau.vm.node.Stat stat(Stat s) {
    int line = s.span().line();
    switch (s) {
      case Stat.Local l -> {
        return local(l, line);
      }
      case Stat.Assign a -> {
        return assign(a, line);
      }
      case Stat.CompoundAssign c -> {
        return compound(c, line);
      }
      case Stat.CallStat c -> {
        return new Stats.ExprStat(expr(c.call()), line);
      }
      case Stat.Do d -> {
        return block(d.body());
      }
      case Stat.While w -> {
        io.templateworker.luau.vm.node.Expr cond = expr(w.condition());
        return new Stats.While(cond, block(w.body()), line);
      }
      case Stat.Repeat r -> {
        checkContinueUntil(r);
        openBlock();
        io.templateworker.luau.vm.node.Stat body = stats(r.body().stats());
        io.templateworker.luau.vm.node.Expr cond = expr(r.condition());
        closeBlock();
        return new Stats.Repeat(body, cond, r.condition().span().line());
      }
      case Stat.If i -> {
        int n = i.clauses().size();
        io.templateworker.luau.vm.node.Expr[] conds = new io.templateworker.luau.vm.node.Expr[n];
        io.templateworker.luau.vm.node.Stat[] bodies = new io.templateworker.luau.vm.node.Stat[n];
        for (int k = 0; k < n; k++) {
          conds[k] = expr(i.clauses().get(k).condition());
          bodies[k] = block(i.clauses().get(k).body());
        }
        io.templateworker.luau.vm.node.Stat other = i.elseBody() == null ? null : block(i.elseBody());
        if (conds.length == 1 && other == null) {
          return new Stats.IfThen(conds[0], bodies[0], line);
        }
        return new Stats.If(conds, bodies, other, line);
      }
      case Stat.NumericFor f -> {
        io.templateworker.luau.vm.node.Expr start = expr(f.start());
        io.templateworker.luau.vm.node.Expr limit = expr(f.limit());
        io.templateworker.luau.vm.node.Expr step = f.step() == null ? null : expr(f.step());
        openBlock();
        Local v = declare(f.var());
        io.templateworker.luau.vm.node.Stat body = block(f.body());
        closeBlock();
        return new Stats.NumericFor(v.slot, v.cell, start, limit, step, body, line);
      }
      case Stat.GenericFor f -> {
        io.templateworker.luau.vm.node.Expr[] values = exprList(f.values());
        openBlock();
        int n = f.vars().size();
        int[] slots = new int[n];
        boolean[] cells = new boolean[n];
        for (int k = 0; k < n; k++) {
          Local v = declare(f.vars().get(k));
          slots[k] = v.slot;
          cells[k] = v.cell;
        }
        io.templateworker.luau.vm.node.Stat body = block(f.body());
        closeBlock();
        return new Stats.GenericFor(slots, cells, values, body, line);
      }
      case Stat.Function f -> {
        String name = f.body().name();
        io.templateworker.luau.vm.node.Expr fn = new Exprs.Function(function(f.body(), name));
        return store(f.target(), fn, line);
      }
      case Stat.LocalFunction f -> {
        Local l = declare(f.name());
        io.templateworker.luau.vm.node.Expr fn = new Exprs.Function(function(f.body(), f.name().name()));
        if (l.cell) {
          // the cell must exist before the closure captures it (recursive local functions)
          return new Stats.Block(new io.templateworker.luau.vm.node.Stat[] {
              new Stats.NewCell(l.slot, null, line), new Stats.SetCell(l.slot, fn, line)});
        }
        return new Stats.SetLocal(l.slot, fn, line);
      }
      case Stat.Return r -> {
        List<Expr> vs = r.values();
        if (vs.size() == 1 && (vs.get(0) instanceof Expr.Call || vs.get(0) instanceof Expr.MethodCall)) {
          return new Stats.TailCall(expr(vs.get(0)), line);
        }
        checkRegisters(vs.size(), r.span());
        return new Stats.Return(exprList(vs), line);
      }
      case Stat.Break b -> {
        return new Stats.Break();
      }
      case Stat.Continue c -> {
        return new Stats.Continue();
      }
      default -> {
        return null; // type aliases and type functions have no run-time effect
      }
    }
  }

  private io.templateworker.luau.vm.node.Stat local(Stat.Local l, int line) {
    List<Binding> names = l.names();
    List<Expr> values = l.values();
    if (names.size() == 1 && values.size() <= 1) {
      io.templateworker.luau.vm.node.Expr v = values.isEmpty() ? null : single(values.get(0),
          names.get(0).name());
      Local loc = declare(names.get(0));
      if (loc.cell) {
        return new Stats.NewCell(loc.slot, v, line);
      }
      return new Stats.SetLocal(loc.slot, v == null ? new Exprs.Const(null) : v, line);
    }
    io.templateworker.luau.vm.node.Expr[] vs = exprList(values);
    int n = names.size();
    int[] slots = new int[n];
    boolean[] cells = new boolean[n];
    for (int k = 0; k < n; k++) {
      Local loc = declare(names.get(k));
      slots[k] = loc.slot;
      cells[k] = loc.cell;
    }
    return new Stats.LocalMulti(slots, cells, vs, line);
  }

  /** Compiles a value to one result, naming an anonymous function after the variable it is stored in. */
  private io.templateworker.luau.vm.node.Expr single(Expr e, String nameHint) {
    if (e instanceof Expr.Function f && f.body().name() == null) {
      return new Exprs.Function(function(f.body(), nameHint));
    }
    io.templateworker.luau.vm.node.Expr c = expr(e);
    return c.isMulti() ? new Exprs.Single(c) : c;
  }

  private io.templateworker.luau.vm.node.Stat assign(Stat.Assign a, int line) {
    if (a.targets().size() == 1 && a.values().size() == 1) {
      Expr t = a.targets().get(0);
      String hint = t instanceof Expr.Name n ? n.name() : t instanceof Expr.Field fl ? fl.name() : null;
      return store(t, single(a.values().get(0), hint), line);
    }
    List<Stats.Target> targets = new ArrayList<>();
    for (Expr t : a.targets()) {
      targets.add(target(t));
    }
    return new Stats.MultiAssign(targets.toArray(new Stats.Target[0]), exprList(a.values()), line);
  }

  private Stats.Target target(Expr t) {
    switch (t) {
      case Expr.Name n -> {
        checkNotConstant(n);
        Local l = findLocal(fs, n.name());
        if (l != null) {
          return new Stats.LocalTarget(l.slot, l.cell);
        }
        int up = findUpval(fs, n.name(), n.span());
        if (up >= 0) {
          return new Stats.UpvalTarget(up);
        }
        return new Stats.GlobalTarget(str(n.name()));
      }
      case Expr.Field f -> {
        return new Stats.IndexTarget(expr(f.object()), new Exprs.Const(str(f.name())));
      }
      case Expr.Index i -> {
        return new Stats.IndexTarget(expr(i.object()), expr(i.key()));
      }
      default -> throw error(t.span(), "Assigned expression must be a variable or a field");
    }
  }

  /** A single assignment {@code target = value}. */
  private io.templateworker.luau.vm.node.Stat store(Expr t, io.templateworker.luau.vm.node.Expr value, int line) {
    switch (t) {
      case Expr.Name n -> {
        checkNotConstant(n);
        Local l = findLocal(fs, n.name());
        if (l != null) {
          return l.cell ? new Stats.SetCell(l.slot, value, line) : new Stats.SetLocal(l.slot, value, line);
        }
        int up = findUpval(fs, n.name(), n.span());
        if (up >= 0) {
          return new Stats.SetUpval(up, value, line);
        }
        return new Stats.SetGlobal(str(n.name()), value, line);
      }
      case Expr.Field f -> {
        return new Stats.SetIndex(expr(f.object()), new Exprs.Const(str(f.name())), value, line);
      }
      case Expr.Index i -> {
        return new Stats.SetIndex(expr(i.object()), expr(i.key()), value, line);
      }
      default -> throw error(t.span(), "Assigned expression must be a variable or a field");
    }
  }

  private io.templateworker.luau.vm.node.Stat compound(Stat.CompoundAssign c, int line) {
    int op = c.op() == BinaryOp.CONCAT ? -1 : arithOp(c.op());
    io.templateworker.luau.vm.node.Expr value = single(c.value(), null);
    Expr t = c.target();
    switch (t) {
      case Expr.Field f -> {
        return new Stats.CompoundAssign(new Stats.IndexTarget(null, null), null, expr(f.object()),
            new Exprs.Const(str(f.name())), op, value, line);
      }
      case Expr.Index i -> {
        return new Stats.CompoundAssign(new Stats.IndexTarget(null, null), null, expr(i.object()),
            expr(i.key()), op, value, line);
      }
      default -> {
        return new Stats.CompoundAssign(target(t), expr(t), null, null, op, value, line);
      }
    }
  }

  private static int arithOp(BinaryOp op) {
    return switch (op) {
      case ADD -> Ops.ADD;
      case SUB -> Ops.SUB;
      case MUL -> Ops.MUL;
      case DIV -> Ops.DIV;
      case MOD -> Ops.MOD;
      case POW -> Ops.POW;
      case IDIV -> Ops.IDIV;
      default -> throw new IllegalArgumentException("not arithmetic: " + op);
    };
  }

  // ---- expressions -----------------------------------------------------------------------------------

  private io.templateworker.luau.vm.node.Expr[] exprList(List<Expr> es) {
    io.templateworker.luau.vm.node.Expr[] out = new io.templateworker.luau.vm.node.Expr[es.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = expr(es.get(i));
    }
    return out;
  }

  private io.templateworker.luau.vm.node.Expr expr(Expr e) {
    int line = e.span().line();
    switch (e) {
      case Expr.Nil n -> {
        return new Exprs.Const(null);
      }
      case Expr.Bool b -> {
        return new Exprs.Const(b.value() ? Boolean.TRUE : Boolean.FALSE);
      }
      case Expr.Num n -> {
        return new Exprs.Const(n.value());
      }
      case Expr.Int i -> {
        return new Exprs.Const(i.value());
      }
      case Expr.Str s -> {
        return new Exprs.Const(str(s.value()));
      }
      case Expr.Vararg v -> {
        if (!fs.vararg) {
          throw error(v.span(), "Cannot use '...' outside of a vararg function");
        }
        return new Exprs.Vararg();
      }
      case Expr.Name n -> {
        Local l = findLocal(fs, n.name());
        if (l != null) {
          return l.cell ? new Exprs.CellGet(l.slot) : new Exprs.LocalGet(l.slot);
        }
        int up = findUpval(fs, n.name(), n.span());
        if (up >= 0) {
          return new Exprs.UpvalGet(up);
        }
        return new Exprs.GlobalGet(str(n.name()));
      }
      case Expr.Index i -> {
        io.templateworker.luau.vm.node.Expr obj = expr(i.object());
        if (i.key() instanceof Expr.Str s) {
          return new Exprs.IndexStr(obj, str(s.value()));
        }
        return new Exprs.Index(obj, expr(i.key()));
      }
      case Expr.Field f -> {
        return new Exprs.IndexStr(expr(f.object()), str(f.name()));
      }
      case Expr.Call c -> {
        io.templateworker.luau.vm.node.Expr fn = expr(c.function());
        checkRegisters(c.args().size() + 1, c.span());
        return new Exprs.Call(fn, exprList(c.args()), line);
      }
      case Expr.MethodCall m -> {
        io.templateworker.luau.vm.node.Expr obj = expr(m.object());
        checkRegisters(m.args().size() + 2, m.span());
        return new Exprs.MethodCall(obj, str(m.name()), exprList(m.args()), line);
      }
      case Expr.Instantiate i -> {
        return expr(i.target());
      }
      case Expr.Function f -> {
        return new Exprs.Function(function(f.body(), null));
      }
      case Expr.Table t -> {
        return table(t, line);
      }
      case Expr.Unary u -> {
        return unary(u, line);
      }
      case Expr.Binary b -> {
        return binary(b, line);
      }
      case Expr.Paren p -> {
        io.templateworker.luau.vm.node.Expr inner = expr(p.inner());
        return inner.isMulti() ? new Exprs.Single(inner) : inner;
      }
      case Expr.IfElse i -> {
        return new Exprs.IfElse(expr(i.condition()), expr(i.then()), expr(i.otherwise()));
      }
      case Expr.Interp i -> {
        byte[][] parts = i.parts().toArray(new byte[0][]);
        return new Exprs.Interp(parts, exprList(i.exprs()), line);
      }
      case Expr.TypeCast t -> {
        io.templateworker.luau.vm.node.Expr inner = expr(t.expr());
        return inner.isMulti() ? new Exprs.Single(inner) : inner;
      }
    }
  }

  private io.templateworker.luau.vm.node.Expr table(Expr.Table t, int line) {
    List<io.templateworker.luau.vm.node.Expr> pos = new ArrayList<>();
    List<io.templateworker.luau.vm.node.Expr> keys = new ArrayList<>();
    List<io.templateworker.luau.vm.node.Expr> vals = new ArrayList<>();
    for (TableField f : t.fields()) {
      switch (f) {
        case TableField.Positional p -> pos.add(expr(p.value()));
        case TableField.Named n -> {
          keys.add(new Exprs.Const(str(n.name())));
          vals.add(single(n.value(), n.name()));
        }
        case TableField.Keyed k -> {
          keys.add(single(k.key(), null));
          vals.add(single(k.value(), null));
        }
      }
    }
    // a multi-value expression is only expanded in the last positional slot
    for (int i = 0; i < pos.size() - 1; i++) {
      if (pos.get(i).isMulti()) {
        pos.set(i, new Exprs.Single(pos.get(i)));
      }
    }
    return new Exprs.Table(pos.toArray(new io.templateworker.luau.vm.node.Expr[0]),
        keys.toArray(new io.templateworker.luau.vm.node.Expr[0]),
        vals.toArray(new io.templateworker.luau.vm.node.Expr[0]), line);
  }

  private io.templateworker.luau.vm.node.Expr unary(Expr.Unary u, int line) {
    switch (u.op()) {
      case NOT -> {
        return new Exprs.Not(singleValue(u.operand()));
      }
      case MINUS -> {
        if (u.operand() instanceof Expr.Num n) {
          return new Exprs.Const(-n.value());
        }
        if (u.operand() instanceof Expr.Int n) {
          return new Exprs.Const(-n.value());
        }
        return new Exprs.Unm(singleValue(u.operand()), line);
      }
      default -> {
        return new Exprs.Len(singleValue(u.operand()), line);
      }
    }
  }

  private io.templateworker.luau.vm.node.Expr singleValue(Expr e) {
    io.templateworker.luau.vm.node.Expr c = expr(e);
    return c.isMulti() ? new Exprs.Single(c) : c;
  }

  private void flattenConcat(Expr e, List<io.templateworker.luau.vm.node.Expr> out) {
    if (e instanceof Expr.Binary b && b.op() == BinaryOp.CONCAT) {
      flattenConcat(b.left(), out);
      flattenConcat(b.right(), out);
    } else {
      out.add(singleValue(e));
    }
  }

  private io.templateworker.luau.vm.node.Expr binary(Expr.Binary b, int line) {
    BinaryOp op = b.op();
    if (op == BinaryOp.CONCAT) {
      List<io.templateworker.luau.vm.node.Expr> parts = new ArrayList<>();
      flattenConcat(b, parts);
      return new Exprs.Concat(parts.toArray(new io.templateworker.luau.vm.node.Expr[0]), line);
    }
    io.templateworker.luau.vm.node.Expr l = singleValue(b.left());
    io.templateworker.luau.vm.node.Expr r = singleValue(b.right());
    return switch (op) {
      case ADD -> b.right() instanceof Expr.Num n ? new Exprs.AddConst(l, n.value(), Ops.ADD, line)
          : new Exprs.Add(l, r, line);
      case SUB -> b.right() instanceof Expr.Num n ? new Exprs.AddConst(l, n.value(), Ops.SUB, line)
          : new Exprs.Sub(l, r, line);
      case MUL -> new Exprs.Mul(l, r, line);
      case DIV -> new Exprs.Div(l, r, line);
      case MOD, POW, IDIV -> new Exprs.Arith(arithOp(op), l, r, line);
      case EQ -> new Exprs.Eq(l, r, false, line);
      case NE -> new Exprs.Eq(l, r, true, line);
      case LT -> new Exprs.Lt(l, r, false, false, line);
      case LE -> new Exprs.Lt(l, r, true, false, line);
      case GT -> new Exprs.Lt(l, r, false, true, line);
      case GE -> new Exprs.Lt(l, r, true, true, line);
      case AND -> new Exprs.And(l, r);
      case OR -> new Exprs.Or(l, r);
      default -> throw new IllegalStateException("unhandled operator " + op);
    };
  }

  // ---- repeat..until and continue ------------------------------------------------------------------

  /**
   * Luau rejects a {@code repeat} whose {@code until} condition reads a local that a {@code continue} earlier in
   * the body jumps over: the local would be unassigned when the condition runs.
   */
  private void checkContinueUntil(Stat.Repeat r) {
    List<Stat> body = r.body().stats();
    Stat.Continue cont = null;
    int at = -1;
    for (int i = 0; i < body.size() && cont == null; i++) {
      cont = firstContinue(body.get(i));
      at = i;
    }
    if (cont == null) {
      return;
    }
    java.util.Set<String> skipped = new java.util.HashSet<>(); // names whose visible declaration follows it
    for (int i = 0; i < body.size(); i++) {
      for (String name : declaredNames(body.get(i))) {
        if (i > at) {
          skipped.add(name);
        } else {
          skipped.remove(name);
        }
      }
    }
    String used = firstNameIn(r.condition(), skipped);
    if (used != null) {
      throw error(r.condition().span(), "Local " + used + " used in the repeat..until condition is undefined "
          + "because continue statement on line " + cont.span().line() + " jumps over it");
    }
  }

  /** The first {@code continue} of this loop inside {@code s} (nested loops and functions have their own). */
  private static Stat.Continue firstContinue(Stat s) {
    switch (s) {
      case Stat.Continue c -> {
        return c;
      }
      case Stat.Do d -> {
        return firstContinue(d.body().stats());
      }
      case Stat.If i -> {
        for (Stat.IfClause c : i.clauses()) {
          Stat.Continue found = firstContinue(c.body().stats());
          if (found != null) {
            return found;
          }
        }
        return i.elseBody() == null ? null : firstContinue(i.elseBody().stats());
      }
      default -> {
        return null;
      }
    }
  }

  private static Stat.Continue firstContinue(List<Stat> stats) {
    for (Stat s : stats) {
      Stat.Continue found = firstContinue(s);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static List<String> declaredNames(Stat s) {
    return switch (s) {
      case Stat.Local l -> l.names().stream().map(io.templateworker.luau.ast.Binding::name).toList();
      case Stat.LocalFunction f -> List.of(f.name().name());
      default -> List.of();
    };
  }

  /** The first name in {@code names} that {@code e} reads (function bodies inside it are not searched). */
  private static String firstNameIn(Expr e, java.util.Set<String> names) {
    if (e == null || names.isEmpty()) {
      return null;
    }
    if (e instanceof Expr.Name n) {
      return names.contains(n.name()) ? n.name() : null;
    }
    List<Expr> parts = switch (e) {
      case Expr.Index i -> List.of(i.object(), i.key());
      case Expr.Field f -> List.of(f.object());
      case Expr.Call c -> concat(c.function(), c.args());
      case Expr.MethodCall m -> concat(m.object(), m.args());
      case Expr.Instantiate i -> List.of(i.target());
      case Expr.Table t -> t.fields().stream().flatMap(f -> switch (f) {
        case io.templateworker.luau.ast.TableField.Positional p -> java.util.stream.Stream.of(p.value());
        case io.templateworker.luau.ast.TableField.Named n -> java.util.stream.Stream.of(n.value());
        case io.templateworker.luau.ast.TableField.Keyed k -> java.util.stream.Stream.of(k.key(), k.value());
      }).toList();
      case Expr.Unary u -> List.of(u.operand());
      case Expr.Binary b -> List.of(b.left(), b.right());
      case Expr.Paren p -> List.of(p.inner());
      case Expr.IfElse i -> List.of(i.condition(), i.then(), i.otherwise());
      case Expr.Interp i -> i.exprs();
      case Expr.TypeCast c -> List.of(c.expr());
      default -> List.of();
    };
    for (Expr part : parts) {
      String found = firstNameIn(part, names);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static List<Expr> concat(Expr first, List<Expr> rest) {
    List<Expr> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return all;
  }
}
