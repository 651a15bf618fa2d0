package io.templateworker.runtime.plugin.captcha;

import java.util.HashMap;
import java.util.Map;

/**
 * The captcha alphabet as strokes on a 4 × 6 grid (x right, y down), so drawing needs no font files: a
 * headless server without fontconfig renders the same captchas. Letters that read alike (I, O, 0, 1) are left out.
 */
final class Glyphs {
  static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  private static final Map<Character, float[][]> STROKES = new HashMap<>();

  static {
    define('A', "0,6 2,0 4,6|1,4 3,4");
    define('B', "0,0 0,6 3,6 4,5 4,4 3,3 0,3|0,0 3,0 4,1 4,2 3,3");
    define('C', "4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5");
    define('D', "0,0 0,6 3,6 4,5 4,1 3,0 0,0");
    define('E', "4,0 0,0 0,6 4,6|0,3 3,3");
    define('F', "4,0 0,0 0,6|0,3 3,3");
    define('G', "4,1 3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,3 2,3");
    define('H', "0,0 0,6|4,0 4,6|0,3 4,3");
    define('J', "4,0 4,5 3,6 1,6 0,5");
    define('K', "0,0 0,6|4,0 0,3 4,6");
    define('L', "0,0 0,6 4,6");
    define('M', "0,6 0,0 2,3 4,0 4,6");
    define('N', "0,6 0,0 4,6 4,0");
    define('P', "0,6 0,0 3,0 4,1 4,2 3,3 0,3");
    define('Q', "1,0 3,0 4,1 4,5 3,6 1,6 0,5 0,1 1,0|2,4 4,6");
    define('R', "0,6 0,0 3,0 4,1 4,2 3,3 0,3|2,3 4,6");
    define('S', "4,1 3,0 1,0 0,1 0,2 1,3 3,3 4,4 4,5 3,6 1,6 0,5");
    define('T', "0,0 4,0|2,0 2,6");
    define('U', "0,0 0,5 1,6 3,6 4,5 4,0");
    define('V', "0,0 2,6 4,0");
    define('W', "0,0 1,6 2,3 3,6 4,0");
    define('X', "0,0 4,6|4,0 0,6");
    define('Y', "0,0 2,3 4,0|2,3 2,6");
    define('Z', "0,0 4,0 0,6 4,6");
    define('2', "0,1 1,0 3,0 4,1 4,2 0,6 4,6");
    define('3', "0,1 1,0 3,0 4,1 4,2 3,3 1,3|3,3 4,4 4,5 3,6 1,6 0,5");
    define('4', "3,6 3,0 0,4 4,4");
    define('5', "4,0 0,0 0,3 3,3 4,4 4,5 3,6 0,6");
    define('6', "3,0 1,0 0,1 0,5 1,6 3,6 4,5 4,4 3,3 0,3");
    define('7', "0,0 4,0 1,6");
    define('8', "1,3 0,2 0,1 1,0 3,0 4,1 4,2 3,3 1,3 0,4 0,5 1,6 3,6 4,5 4,4 3,3");
    define('9', "4,3 1,3 0,2 0,1 1,0 3,0 4,1 4,5 3,6 1,6");
  }

  private Glyphs() {
  }

  private static void define(char c, String spec) {
    String[] strokes = spec.split("\\|");
    float[][] out = new float[strokes.length][];
    for (int i = 0; i < strokes.length; i++) {
      String[] pts = strokes[i].trim().split(" ");
      float[] xy = new float[pts.length * 2];
      for (int p = 0; p < pts.length; p++) {
        String[] v = pts[p].split(",");
        xy[2 * p] = Float.parseFloat(v[0]);
        xy[2 * p + 1] = Float.parseFloat(v[1]);
      }
      out[i] = xy;
    }
    STROKES.put(c, out);
  }

  /** Polylines of {@code c} as flat x,y arrays on the 4 × 6 grid. */
  static float[][] strokes(char c) {
    return STROKES.get(c);
  }
}
