package io.templateworker.luau.lib;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.vm.LuauThread;

import java.util.Arrays;

/**
 * Lua pattern matching over bytes, with Luau's semantics and error messages.
 *
 * <p>One instance matches one pattern against one subject; {@link #match(int, int)} may be called
 * repeatedly (find, gmatch and gsub try successive start positions). Recursion is bounded by
 * {@link #MAX_DEPTH} ("pattern too complex") so a hostile pattern can never overflow the Java
 * stack, and every loop that can run long reports to {@link Interrupt} so a time limit stops it.
 */
public final class LuaPattern {

  /** Called every few thousand steps; throws to abort a long match (the VM's time limit). */
  @FunctionalInterface
  public interface Interrupt {
    void check();
  }

  /** Luau's LUA_MAXCAPTURES. */
  public static final int MAX_CAPTURES = 32;
  /** Luau's LUAI_MAXCCALLS, used as the match recursion budget. */
  static final int MAX_DEPTH = 200;

  private static final int CAP_UNFINISHED = -1;
  private static final int CAP_POSITION = -2;
  private static final int NO_MATCH = -1;
  /** Steps between two interrupt checks; a power of two minus one, used as a mask. */
  private static final int TICK_MASK = 0xFF;

  private final byte[] src;
  private final int srcEnd;
  private final byte[] pat;
  private final int patEnd;
  private final LuauThread thread;
  private final Interrupt interrupt;

  private int level;
  private final int[] captureStart = new int[MAX_CAPTURES];
  private final int[] captureLen = new int[MAX_CAPTURES];
  private int depth = MAX_DEPTH;
  private int ticks;

  /** A matcher that reports to the thread's interrupt check (null: never interrupted). */
  public LuaPattern(byte[] src, byte[] pat, LuauThread thread) {
    this.src = src;
    this.srcEnd = src.length;
    this.pat = pat;
    this.patEnd = pat.length;
    this.thread = thread;
    this.interrupt = null;
  }

  /** A matcher with an explicit interrupt hook (tests and embedders without a VM). */
  public LuaPattern(byte[] src, byte[] pat, Interrupt interrupt) {
    this.src = src;
    this.srcEnd = src.length;
    this.pat = pat;
    this.patEnd = pat.length;
    this.thread = null;
    this.interrupt = interrupt;
  }

  /** True when {@code p} has no pattern magic, so find may use a plain substring search. */
  public static boolean hasSpecials(byte[] p) {
    for (byte b : p) {
      switch (b) {
        case '^', '$', '*', '+', '?', '.', '(', '[', '%', '-':
          return true;
        default:
          break;
      }
    }
    return false;
  }

  /** Plain byte search of {@code needle} in {@code hay} from {@code from}; -1 when absent. */
  public static int indexOf(byte[] hay, byte[] needle, int from) {
    int n = needle.length;
    if (n == 0) {
      return from <= hay.length ? from : -1;
    }
    byte first = needle[0];
    int last = hay.length - n;
    outer:
    for (int i = from; i <= last; i++) {
      if (hay[i] != first) {
        continue;
      }
      for (int k = 1; k < n; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Matches the pattern starting at pattern offset {@code p} against the subject at offset
   * {@code s}. Returns the end offset (exclusive) of the match, or -1. Resets the captures.
   */
  public int match(int s, int p) {
    level = 0;
    depth = MAX_DEPTH;
    return doMatch(s, p);
  }

  /** Number of captures of the last successful match. */
  public int captureCount() {
    return level;
  }

  /**
   * Capture {@code i} (0-based) of the last match [s, e): a string, or a position for "()". When the
   * pattern has no captures, capture 0 is the whole match.
   */
  public Object capture(int i, int s, int e) {
    if (i >= level) {
      if (i == 0) {
        return LuauString.wrap(Arrays.copyOfRange(src, s, e));
      }
      throw LuauError.runtime("invalid capture index");
    }
    int len = captureLen[i];
    if (len == CAP_UNFINISHED) {
      throw LuauError.runtime("unfinished capture");
    }
    if (len == CAP_POSITION) {
      return (double) (captureStart[i] + 1);
    }
    int start = captureStart[i];
    return LuauString.wrap(Arrays.copyOfRange(src, start, start + len));
  }

  /** All captures of the last match [s, e), or the whole match when there are none. */
  public Object[] captures(int s, int e) {
    int n = level == 0 ? 1 : level;
    Object[] out = new Object[n];
    for (int i = 0; i < n; i++) {
      out[i] = capture(i, s, e);
    }
    return out;
  }

  /** The explicit captures only (what find returns after the two positions). */
  public Object[] explicitCaptures() {
    Object[] out = new Object[level];
    for (int i = 0; i < level; i++) {
      out[i] = capture(i, 0, 0);
    }
    return out;
  }

  // ---------------------------------------------------------------- the matcher

  private void tick() {
    if ((++ticks & TICK_MASK) == 0) {
      if (thread != null) {
        thread.checkInterrupt();
      } else if (interrupt != null) {
        interrupt.check();
      }
    }
  }

  /** Pattern byte at i, or -1 past the end (C reads the terminating NUL there; -1 never matches). */
  private int pc(int i) {
    return i < patEnd ? pat[i] & 0xFF : -1;
  }

  private int doMatch(int s, int p) {
    if (depth-- == 0) {
      throw LuauError.runtime("pattern too complex");
    }
    tick();
    loop:
    while (p != patEnd) {
      int c = pat[p] & 0xFF;
      switch (c) {
        case '(':
          s = pc(p + 1) == ')' ? startCapture(s, p + 2, CAP_POSITION) : startCapture(s, p + 1, CAP_UNFINISHED);
          break loop;
        case ')':
          s = endCapture(s, p + 1);
          break loop;
        case '$':
          if (p + 1 == patEnd) {
            s = s == srcEnd ? s : NO_MATCH;
            break loop;
          }
          break;
        case '%': {
          int next = pc(p + 1);
          if (next == 'b') {
            s = matchBalance(s, p + 2);
            if (s == NO_MATCH) {
              break loop;
            }
            p += 4;
            continue;
          }
          if (next == 'f') {
            p += 2;
            if (pc(p) != '[') {
              throw LuauError.runtime("missing '[' after '%f' in pattern");
            }
            int ep = classEnd(p);
            int previous = s == 0 ? 0 : src[s - 1] & 0xFF;
            int current = s < srcEnd ? src[s] & 0xFF : 0;
            if (!matchBracketClass(previous, p, ep - 1) && matchBracketClass(current, p, ep - 1)) {
              p = ep;
              continue;
            }
            s = NO_MATCH;
            break loop;
          }
          if (next >= '0' && next <= '9') {
            s = matchCapture(s, next);
            if (s == NO_MATCH) {
              break loop;
            }
            p += 2;
            continue;
          }
          break;
        }
        default:
          break;
      }
      // a single character class, with an optional repetition suffix
      int ep = classEnd(p);
      int suffix = pc(ep);
      if (!singleMatch(s, p, ep)) {
        if (suffix == '*' || suffix == '?' || suffix == '-') {
          p = ep + 1;
          continue;
        }
        s = NO_MATCH;
        break;
      }
      switch (suffix) {
        case '?': {
          int res = doMatch(s + 1, ep + 1);
          if (res != NO_MATCH) {
            s = res;
            break loop;
          }
          p = ep + 1;
          continue;
        }
        case '+':
          s = maxExpand(s + 1, p, ep);
          break loop;
        case '*':
          s = maxExpand(s, p, ep);
          break loop;
        case '-':
          s = minExpand(s, p, ep);
          break loop;
        default:
          s++;
          p = ep;
          continue;
      }
    }
    depth++;
    return s;
  }

  /** Offset just past the single character class starting at p. */
  private int classEnd(int p) {
    int c = pat[p++] & 0xFF;
    if (c == '%') {
      if (p >= patEnd) {
        throw LuauError.runtime("malformed pattern (ends with '%')");
      }
      return p + 1;
    }
    if (c == '[') {
      if (pc(p) == '^') {
        p++;
      }
      // the first character of a set is literal, so "[]]" is a set holding ']'
      do {
        if (p >= patEnd) {
          throw LuauError.runtime("malformed pattern (missing ']')");
        }
        int d = pat[p++] & 0xFF;
        if (d == '%' && p < patEnd) {
          p++;
        }
      } while (pc(p) != ']');
      return p + 1;
    }
    return p;
  }

  private boolean singleMatch(int s, int p, int ep) {
    if (s >= srcEnd) {
      return false;
    }
    int c = src[s] & 0xFF;
    int pch = pat[p] & 0xFF;
    return switch (pch) {
      case '.' -> true;
      case '%' -> matchClass(c, pat[p + 1] & 0xFF);
      case '[' -> matchBracketClass(c, p, ep - 1);
      default -> pch == c;
    };
  }

  /** Does byte c belong to class letter cl (%a, %D, ...)? Other letters match themselves. */
  static boolean matchClass(int c, int cl) {
    boolean res;
    switch (cl | 0x20) {
      case 'a' -> res = isAlpha(c);
      case 'c' -> res = c < 32 || c == 127;
      case 'd' -> res = c >= '0' && c <= '9';
      case 'g' -> res = c > 32 && c < 127;
      case 'l' -> res = c >= 'a' && c <= 'z';
      case 'p' -> res = c > 32 && c < 127 && !isAlpha(c) && !(c >= '0' && c <= '9');
      case 's' -> res = c == ' ' || (c >= 9 && c <= 13);
      case 'u' -> res = c >= 'A' && c <= 'Z';
      case 'w' -> res = isAlpha(c) || (c >= '0' && c <= '9');
      case 'x' -> res = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
      case 'z' -> res = c == 0;
      default -> {
        return cl == c;
      }
    }
    // only ASCII letters reach here; lower case selects the class, upper case its complement
    return (cl >= 'a' && cl <= 'z') == res;
  }

  private static boolean isAlpha(int c) {
    int l = c | 0x20;
    return l >= 'a' && l <= 'z';
  }

  /** p is at '[', ec at the closing ']'. */
  private boolean matchBracketClass(int c, int p, int ec) {
    boolean sig = true;
    if (pc(p + 1) == '^') {
      sig = false;
      p++;
    }
    while (++p < ec) {
      int pch = pat[p] & 0xFF;
      if (pch == '%') {
        p++;
        if (matchClass(c, pc(p))) {
          return sig;
        }
      } else if (pc(p + 1) == '-' && p + 2 < ec) {
        p += 2;
        if (pch <= c && c <= (pat[p] & 0xFF)) {
          return sig;
        }
      } else if (pch == c) {
        return sig;
      }
    }
    return !sig;
  }

  private int matchBalance(int s, int p) {
    if (p >= patEnd - 1) {
      throw LuauError.runtime("malformed pattern (missing arguments to '%b')");
    }
    int open = pat[p] & 0xFF;
    if ((s < srcEnd ? src[s] & 0xFF : 0) != open) {
      return NO_MATCH;
    }
    int close = pat[p + 1] & 0xFF;
    int depthCount = 1;
    while (++s < srcEnd) {
      tick();
      int c = src[s] & 0xFF;
      if (c == close) {
        if (--depthCount == 0) {
          return s + 1;
        }
      } else if (c == open) {
        depthCount++;
      }
    }
    return NO_MATCH;
  }

  private int maxExpand(int s, int p, int ep) {
    int i = 0;
    while (singleMatch(s + i, p, ep)) {
      i++;
      tick();
    }
    // try the longest run first, giving back one repetition at a time
    while (i >= 0) {
      int res = doMatch(s + i, ep + 1);
      if (res != NO_MATCH) {
        return res;
      }
      i--;
    }
    return NO_MATCH;
  }

  private int minExpand(int s, int p, int ep) {
    for (;;) {
      int res = doMatch(s, ep + 1);
      if (res != NO_MATCH) {
        return res;
      }
      if (singleMatch(s, p, ep)) {
        s++;
      } else {
        return NO_MATCH;
      }
    }
  }

  private int startCapture(int s, int p, int what) {
    if (level >= MAX_CAPTURES) {
      throw LuauError.runtime("too many captures");
    }
    captureStart[level] = s;
    captureLen[level] = what;
    level++;
    int res = doMatch(s, p);
    if (res == NO_MATCH) {
      level--;
    }
    return res;
  }

  private int endCapture(int s, int p) {
    int l = captureToClose();
    captureLen[l] = s - captureStart[l];
    int res = doMatch(s, p);
    if (res == NO_MATCH) {
      captureLen[l] = CAP_UNFINISHED;
    }
    return res;
  }

  private int captureToClose() {
    for (int l = level - 1; l >= 0; l--) {
      if (captureLen[l] == CAP_UNFINISHED) {
        return l;
      }
    }
    throw LuauError.runtime("invalid pattern capture");
  }

  private int matchCapture(int s, int digit) {
    int l = digit - '1';
    if (l < 0 || l >= level || captureLen[l] == CAP_UNFINISHED) {
      throw LuauError.runtime("invalid capture index %" + (l + 1));
    }
    int len = captureLen[l];
    if (len < 0 || srcEnd - s < len) {
      return NO_MATCH;
    }
    int start = captureStart[l];
    for (int k = 0; k < len; k++) {
      if (src[start + k] != src[s + k]) {
        return NO_MATCH;
      }
    }
    return s + len;
  }
}
