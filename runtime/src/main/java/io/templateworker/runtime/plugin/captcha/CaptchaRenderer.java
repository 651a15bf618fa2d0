package io.templateworker.runtime.plugin.captcha;

import io.templateworker.runtime.plugin.PluginError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Draws a captcha: the text as stroked glyphs ({@link Glyphs}, no fonts needed) with random size, slant and
 * colour on a base image, then the filters in order, the image scaled to the viewbox before filter
 * {@code set_viewbox_at_idx} (or after the last one), encoded as PNG. Headless: only {@code BufferedImage} and
 * {@code Graphics2D}, no display. Every loop checks the deadline, so a render that takes too long stops instead
 * of running on (upstream's check was inverted and never fired, gap 24).
 */
final class CaptchaRenderer {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** The text and the PNG image. */
  record Result(String text, byte[] png) {
  }

  /** A point in time after which rendering gives up. */
  static final class Deadline {
    private final long endNanos;
    private final long budgetMillis;

    Deadline(long budgetMillis) {
      this.budgetMillis = budgetMillis;
      this.endNanos = System.nanoTime() + budgetMillis * 1_000_000L;
    }

    void check() {
      if (System.nanoTime() - endNanos > 0 || Thread.currentThread().isInterrupted()) {
        throw new PluginError("captcha rendering took longer than " + budgetMillis + " ms and was stopped");
      }
    }
  }

  private CaptchaRenderer() {
  }

  static Result render(CaptchaConfig config, Random random, Deadline deadline) {
    StringBuilder text = new StringBuilder(config.charCount());
    for (int i = 0; i < config.charCount(); i++) {
      text.append(Glyphs.ALPHABET.charAt(random.nextInt(Glyphs.ALPHABET.length())));
    }
    int cell = 40;
    BufferedImage img = new BufferedImage(config.charCount() * cell + 20, 100, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    for (int i = 0; i < text.length(); i++) {
      deadline.check();
      drawGlyph(g, text.charAt(i), 10 + i * cell, 20, random);
    }
    g.dispose();
    boolean resized = false;
    for (int i = 0; i < config.filters().size(); i++) {
      if (config.viewboxAt() != null && config.viewboxAt() == i) {
        img = scale(img, config.width(), config.height());
        resized = true;
      }
      img = apply(config.filters().get(i), img, random, deadline);
    }
    if (!resized) {
      img = scale(img, config.width(), config.height());
    }
    deadline.check();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new PluginError("captcha image could not be encoded: " + e.getMessage());
    }
    return new Result(text.toString(), out.toByteArray());
  }

  private static void drawGlyph(Graphics2D g, char c, int x, int y, Random random) {
    float[][] strokes = Glyphs.strokes(c);
    double scale = 8 + random.nextDouble() * 3; // grid units → pixels
    AffineTransform t = new AffineTransform();
    t.translate(x + random.nextInt(6), y + random.nextInt(10));
    t.rotate((random.nextDouble() - 0.5) * 0.6, 2 * scale, 3 * scale);
    t.scale(scale, scale);
    Path2D.Float path = new Path2D.Float();
    for (float[] s : strokes) {
      path.moveTo(s[0], s[1]);
      for (int p = 2; p < s.length; p += 2) {
        path.lineTo(s[p], s[p + 1]);
      }
    }
    g.setColor(new Color(random.nextInt(120), random.nextInt(120), random.nextInt(120)));
    g.setStroke(new BasicStroke(3 + random.nextInt(2), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(t.createTransformedShape(path));
  }

  private static BufferedImage scale(BufferedImage src, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(src, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static BufferedImage apply(CaptchaConfig.Filter filter, BufferedImage img, Random random, Deadline deadline) {
    int w = img.getWidth();
    int h = img.getHeight();
    switch (filter) {
      case CaptchaConfig.Noise n -> {
        for (int y = 0; y < h; y++) {
          deadline.check();
          for (int x = 0; x < w; x++) {
            if (random.nextDouble() < n.prob()) {
              int v = random.nextInt(256);
              img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
          }
        }
        return img;
      }
      case CaptchaConfig.Wave wave -> {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
          deadline.check();
          for (int x = 0; x < w; x++) {
            int sx = x;
            int sy = y;
            if (wave.horizontal()) {
              sy = y + (int) Math.round(wave.amplitude() * Math.sin(x * wave.frequency()));
            } else {
              sx = x + (int) Math.round(wave.amplitude() * Math.sin(y * wave.frequency()));
            }
            out.setRGB(x, y, sx >= 0 && sx < w && sy >= 0 && sy < h ? img.getRGB(sx, sy) : 0xffffff);
          }
        }
        return out;
      }
      case CaptchaConfig.Grid grid -> {
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(90, 90, 90));
        for (int x = 0; x < w; x += grid.xGap()) {
          deadline.check();
          g.drawLine(x, 0, x, h);
        }
        for (int y = 0; y < h; y += grid.yGap()) {
          deadline.check();
          g.drawLine(0, y, w, y);
        }
        g.dispose();
        return img;
      }
      case CaptchaConfig.Line line -> {
        Graphics2D g = img.createGraphics();
        g.setColor(line.color());
        g.setStroke(new BasicStroke(line.thickness()));
        g.drawLine(Math.round(line.x1()), Math.round(line.y1()), Math.round(line.x2()), Math.round(line.y2()));
        g.dispose();
        return img;
      }
      case CaptchaConfig.RandomLine r -> {
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(random.nextInt(150), random.nextInt(150), random.nextInt(150)));
        g.setStroke(new BasicStroke(2 + random.nextInt(3)));
        g.drawLine(0, random.nextInt(h), w, random.nextInt(h));
        g.dispose();
        return img;
      }
      case CaptchaConfig.ColorInvert c -> {
        for (int y = 0; y < h; y++) {
          deadline.check();
          for (int x = 0; x < w; x++) {
            img.setRGB(x, y, ~img.getRGB(x, y) & 0xffffff);
          }
        }
        return img;
      }
      case CaptchaConfig.Dot dot -> {
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < dot.n(); i++) {
          deadline.check();
          int r = dot.minRadius() + random.nextInt(dot.maxRadius() - dot.minRadius() + 1);
          g.setColor(new Color(random.nextInt(200), random.nextInt(200), random.nextInt(200)));
          g.fillOval(random.nextInt(w) - r, random.nextInt(h) - r, 2 * r, 2 * r);
        }
        g.dispose();
        return img;
      }
      case CaptchaConfig.Cow cow -> {
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(2));
        Set<Long> used = new HashSet<>();
        for (int i = 0; i < cow.n(); i++) {
          deadline.check();
          int cx = cow.left() + random.nextInt(Math.max(1, cow.right() - cow.left()));
          int cy = cow.top() + random.nextInt(Math.max(1, cow.bottom() - cow.top()));
          if (!cow.allowDuplicates() && !used.add(((long) cx << 32) | cy)) {
            continue;
          }
          int r = cow.minRadius() + random.nextInt(cow.maxRadius() - cow.minRadius() + 1);
          g.setColor(new Color(random.nextInt(200), random.nextInt(200), random.nextInt(200)));
          g.drawOval(cx - r, cy - r, 2 * r, 2 * r);
        }
        g.dispose();
        return img;
      }
    }
  }
}
