package io.templateworker.worker.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.luau.errors.LuauError;
import io.templateworker.runtime.context.TenantServices;
import io.templateworker.runtime.khronos.KhronosValue;
import io.templateworker.runtime.plugin.Plugins;
import io.templateworker.runtime.plugin.captcha.ImageCaptchaPlugin;
import io.templateworker.worker.luau.PluginHarness;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code ctx.ImageCaptcha}: real PNGs drawn headless, the config rules, and a render timeout that fires. */
class ImageCaptchaPluginTest {
  PluginHarness vm;

  @BeforeEach
  void open() {
    vm = new PluginHarness(Plugins.builder().add(new ImageCaptchaPlugin()).build(), new TenantServices(null, null, null));
  }

  @AfterEach
  void close() {
    vm.close();
  }

  private String error(PluginHarness h, String code) {
    try {
      h.run("local ctx = ...\n" + code);
    } catch (LuauError e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an error from: " + code);
  }

  @Test
  void create_returns_the_text_and_a_png_of_the_viewbox_size() throws Exception {
    KhronosValue r = vm.eval("""
        local ctx = ...
        local c = ctx.ImageCaptcha.Create({char_count = 6, viewbox_size = {280, 160}, filters = {
          {filter = "Noise", prob = 0.05}, {filter = "Wave", f = 0.1, amp = 4, d = "horizontal"},
          {filter = "Grid", x_gap = 20, y_gap = 20}, {filter = "Line", p1 = {0, 0}, p2 = {280, 160}, thickness = 2,
          color = {r = 10, g = 20, b = 30}}, {filter = "RandomLine"}, {filter = "Dot", n = 10, min_radius = 1, max_radius = 3},
          {filter = "Cow", n = 5, min_radius = 4, max_radius = 8, allow_duplicates = false}, {filter = "ColorInvert"}},
          set_viewbox_at_idx = 2})
        local ok = pcall(function() c.text = "x" end)
        return {c.text, c.image, ok}
        """);
    var items = ((KhronosValue.ListValue) r).items();
    String text = ((KhronosValue.Text) items.get(0)).value();
    assertThat(text).hasSize(6).matches("[A-HJ-NP-Z2-9]+");
    byte[] png = ((KhronosValue.Buffer) items.get(1)).bytes();
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(280);
    assertThat(img.getHeight()).isEqualTo(160);
    assertThat(items.get(2)).isEqualTo(KhronosValue.Bool.FALSE);
    // the method form works too, and two captchas differ
    KhronosValue again = vm.eval("local ctx = ... return ctx.ImageCaptcha:Create({char_count = 6, viewbox_size = {100, 50}, filters = {}}).text");
    assertThat(((KhronosValue.Text) again).value()).hasSize(6).isNotEqualTo(text);
  }

  @Test
  void the_config_is_checked_and_errors_name_the_field() {
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 11, viewbox_size = {100, 50}})"))
        .contains("(config.char_count) to 'ImageCaptcha.Create' (number 11 is out of range 1..10)");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {512, 50}})"))
        .contains("(config.viewbox_size[1]) to 'ImageCaptcha.Create' (number 512 is out of range 1..511)");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100}})")).contains("config.viewbox_size");
    assertThat(error(vm, "local f = {} for i = 1, 13 do f[i] = {filter = 'RandomLine'} end "
        + "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100, 50}, filters = f})")).contains("at most 12 filters");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100, 50}, filters = {{filter = 'Blur'}}})"))
        .contains("(config.filters[1].filter) to 'ImageCaptcha.Create' (one of Noise, Wave");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100, 50}, filters = {{filter = 'Line', "
        + "p1 = {0, 0}, p2 = {300, 10}, thickness = 1, color = {r = 0, g = 0, b = 0}}}})")).contains("lies outside the 100×50 viewbox");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100, 50}, filters = {{filter = 'Noise', prob = 2}}})"))
        .contains("(config.filters[1].prob) to 'ImageCaptcha.Create' (must be between 0 and 1, got 2.0)");
    assertThat(error(vm, "ctx.ImageCaptcha.Create({char_count = 4, viewbox_size = {100, 50}, filters = {{filter = 'RandomLine'}}, "
        + "set_viewbox_at_idx = 1})")).contains("config.set_viewbox_at_idx");
    assertThat(error(vm, "ctx.ImageCaptcha.Create(nil)")).contains("invalid argument #1 (config) to 'ImageCaptcha.Create' (table expected, got nil)");
  }

  @Test
  void a_render_over_the_timeout_is_stopped_with_an_error() {
    try (PluginHarness slow = new PluginHarness(Plugins.builder().add(new ImageCaptchaPlugin(Duration.ofMillis(1))).build(),
        new TenantServices(null, null, null))) {
      String heavy = "local f = {} for i = 1, 12 do f[i] = {filter = 'Wave', f = 0.3, amp = 5, d = 'vertical'} end "
          + "ctx.ImageCaptcha.Create({char_count = 10, viewbox_size = {511, 511}, filters = f, set_viewbox_at_idx = 0})";
      assertThat(error(slow, heavy)).contains("captcha rendering took longer than 1 ms and was stopped");
    }
  }
}
