package io.templateworker.luau.errors;

import io.templateworker.luau.value.LuauString;

/**
 * A resource limit was hit: memory, time or stack. Scripts see an ordinary Luau error that pcall can catch;
 * the embedder can tell it apart by type and {@link #kind()}.
 */
public final class LimitExceeded extends LuauError {
  private static final long serialVersionUID = 1L;

  /** Which limit fired. */
  public enum Kind {
    MEMORY("not enough memory"),
    TIME("Script execution time limit exceeded"),
    STACK("stack overflow");

    private final String message;

    Kind(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private final Kind kind;

  public LimitExceeded(Kind kind) {
    // memory errors carry no position in Luau; the others are reported where they happen
    super(LuauString.of(kind.message()), kind != Kind.MEMORY);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
