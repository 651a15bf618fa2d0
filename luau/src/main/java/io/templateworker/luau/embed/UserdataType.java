package io.templateworker.luau.embed;

import io.templateworker.luau.errors.Errors;
import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.HostFunction;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.luau.value.LuauUserdata;
import io.templateworker.luau.vm.LuauThread;
import io.templateworker.luau.vm.Meta;
import io.templateworker.luau.vm.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A host type seen from Luau as userdata: methods ({@code obj:name(...)}), read-only or writable fields
 * ({@code obj.name}), metamethods ({@code __add}, {@code __eq}, {@code __len}, {@code __tostring}, ...), and
 * a {@code __type} name for {@code typeof}. The metatable is built once, frozen and locked
 * ({@code getmetatable} returns a string), so scripts cannot alter the type; all values of the type share it.
 *
 * <pre>{@code
 * UserdataType<Counter> type = UserdataType.builder("Counter", Counter.class)
 *     .method("inc", (L, self, args) -> { self.n++; return LuauFunction.NONE; })
 *     .field("value", c -> (double) c.n)
 *     .build();
 * env.rawset(LuauString.of("counter"), type.wrap(new Counter()));
 * }</pre>
 *
 * @param <T> the payload class
 */
public final class UserdataType<T> {
  /** A method body: {@code self} is the checked payload, {@code args} excludes it. */
  @FunctionalInterface
  public interface Method<T> {
    Object[] call(LuauThread L, T self, Object[] args);
  }

  private final String name;
  private final Class<T> payloadClass;
  private final LuauTable metatable;

  private UserdataType(String name, Class<T> payloadClass, LuauTable metatable) {
    this.name = name;
    this.payloadClass = payloadClass;
    this.metatable = metatable;
  }

  public static <T> Builder<T> builder(String name, Class<T> payloadClass) {
    return new Builder<>(name, payloadClass);
  }

  public String name() {
    return name;
  }

  /** A new Luau value of this type around {@code payload}. */
  public LuauUserdata wrap(T payload) {
    return new LuauUserdata(payload, metatable);
  }

  /** The same, charging {@code bytes} (the payload's size) to the VM's memory budget. */
  public LuauUserdata wrap(LuauThread L, T payload, long bytes) {
    L.allocate(24 + bytes);
    return new LuauUserdata(payload, metatable);
  }

  /** Whether {@code v} is a value of this type. */
  public boolean is(Object v) {
    return v instanceof LuauUserdata u && u.getMetatable() == metatable;
  }

  /** Argument {@code i} (0-based) as this type's payload, or Luau's "invalid argument" error. */
  public T check(Object[] args, int i, String fname) {
    Object v = i < args.length ? args[i] : null;
    if (is(v)) {
      return payloadClass.cast(((LuauUserdata) v).payload());
    }
    throw i < args.length ? Errors.typeMismatch(i + 1, fname, name, v)
        : Errors.typeMismatchMissing(i + 1, fname, name);
  }

  /** Collects members, then builds the frozen metatable. */
  public static final class Builder<T> {
    private final String name;
    private final Class<T> payloadClass;
    private final Map<String, LuauFunction> methods = new LinkedHashMap<>();
    private final Map<String, Function<T, Object>> getters = new LinkedHashMap<>();
    private final Map<String, BiConsumer<T, Object>> setters = new LinkedHashMap<>();
    private final Map<String, Object> metamethods = new LinkedHashMap<>();
    /** The type being built, for the method wrappers' self checks (set by build()). */
    @SuppressWarnings("unchecked")
    private final UserdataType<T>[] selfRef = new UserdataType[1];

    private Builder(String name, Class<T> payloadClass) {
      this.name = name;
      this.payloadClass = payloadClass;
    }

    public Builder<T> method(String methodName, Method<T> body) {
      UserdataType<T>[] self = selfRef;
      methods.put(methodName, LuauFunction.host(methodName, (L, a) -> {
        T payload = self[0].check(a, 0, methodName);
        Object[] rest = a.length > 1 ? java.util.Arrays.copyOfRange(a, 1, a.length) : LuauFunction.NONE;
        return body.call(L, payload, rest);
      }));
      return this;
    }

    /** A read-only field. */
    public Builder<T> field(String fieldName, Function<T, Object> getter) {
      getters.put(fieldName, getter);
      return this;
    }

    /** A writable field; the setter receives the raw Luau value and may throw a LuauError to reject it. */
    public Builder<T> field(String fieldName, Function<T, Object> getter, BiConsumer<T, Object> setter) {
      getters.put(fieldName, getter);
      setters.put(fieldName, setter);
      return this;
    }

    /** A metamethod such as "__add", "__eq", "__len", "__tostring", "__call", "__lt". */
    public Builder<T> metamethod(String event, HostFunction fn) {
      if (event.equals("__index") || event.equals("__newindex") || event.equals("__metatable")
          || event.equals("__type")) {
        throw new IllegalArgumentException(event + " is managed by UserdataType: use method/field instead");
      }
      metamethods.put(event, LuauFunction.host(event, fn));
      return this;
    }

    public UserdataType<T> build() {
      LuauTable mt = new LuauTable();
      LuauString typeName = LuauString.of(name);
      mt.rawset(Meta.TYPE, typeName);
      mt.rawset(Meta.NAME, typeName);
      // Luau's tostring ignores __name: a host type without __tostring prints as "Name: 0x..." through this one
      String prefix = name + ": ";
      mt.rawset(Meta.TOSTRING, LuauFunction.host("__tostring",
          (L, a) -> new Object[] {LuauString.of(prefix + Ops.address(a.length > 0 ? a[0] : null))}));
      mt.rawset(Meta.METATABLE, LuauString.of("The metatable is locked"));
      for (Map.Entry<String, Object> e : metamethods.entrySet()) {
        mt.rawset(LuauString.of(e.getKey()), e.getValue());
      }
      UserdataType<T> type = new UserdataType<>(name, payloadClass, mt);
      selfRef[0] = type;
      LuauTable methodTable = new LuauTable();
      for (Map.Entry<String, LuauFunction> e : methods.entrySet()) {
        methodTable.rawset(LuauString.of(e.getKey()), e.getValue());
      }
      methodTable.freeze();
      if (getters.isEmpty()) {
        mt.rawset(Meta.INDEX, methodTable); // methods only: a plain table lookup, no host call
      } else {
        Map<LuauString, Function<T, Object>> byKey = new LinkedHashMap<>();
        getters.forEach((k, g) -> byKey.put(LuauString.of(k), g));
        mt.rawset(Meta.INDEX, LuauFunction.host("__index", (L, a) -> {
          T self = type.check(a, 0, "__index");
          Object key = a.length > 1 ? a[1] : null;
          Object m = methodTable.rawget(key);
          if (m != null) {
            return new Object[] {m};
          }
          Function<T, Object> g = key instanceof LuauString s ? byKey.get(s) : null;
          if (g == null) {
            throw notAMember(key);
          }
          return new Object[] {g.apply(self)};
        }));
      }
      Map<LuauString, BiConsumer<T, Object>> settersByKey = new LinkedHashMap<>();
      setters.forEach((k, s) -> settersByKey.put(LuauString.of(k), s));
      mt.rawset(Meta.NEWINDEX, LuauFunction.host("__newindex", (L, a) -> {
        T self = type.check(a, 0, "__newindex");
        Object key = a.length > 1 ? a[1] : null;
        BiConsumer<T, Object> s = key instanceof LuauString k ? settersByKey.get(k) : null;
        if (s == null) {
          throw key instanceof LuauString k && byKey(k) ? LuauError.runtime("'" + k + "' of " + name + " is read-only")
              : notAMember(key);
        }
        s.accept(self, a.length > 2 ? a[2] : null);
        return LuauFunction.NONE;
      }));
      mt.freeze();
      return type;
    }

    private boolean byKey(LuauString k) {
      return getters.containsKey(k.toString()) || methods.containsKey(k.toString());
    }

    private LuauError notAMember(Object key) {
      String k = key instanceof LuauString s ? s.toString() : io.templateworker.luau.value.Values.typeName(key);
      return LuauError.runtime("'" + k + "' is not a valid member of " + name);
    }
  }
}
