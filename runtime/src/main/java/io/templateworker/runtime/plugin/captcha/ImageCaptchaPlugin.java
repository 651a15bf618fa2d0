package io.templateworker.runtime.plugin.captcha;

import io.templateworker.luau.value.LuauBuffer;
import io.templateworker.luau.value.LuauFunction;
import io.templateworker.luau.value.LuauString;
import io.templateworker.luau.value.LuauTable;
import io.templateworker.runtime.metrics.WorkerMetrics;
import io.templateworker.runtime.plugin.Plugin;
import io.templateworker.runtime.plugin.PluginContext;
import io.templateworker.runtime.plugin.Tables;
import io.templateworker.runtime.values.HostArgs;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * {@code ctx.ImageCaptcha} (UPSTREAM.md §8.9): {@code Create(config)} → read-only {@code {text, image}} with the
 * image a PNG in a buffer. No capability check and no rate limit, as upstream; rendering happens off the VM
 * (the calling task yields) and stops at the render timeout (5 s by default) with an error.
 */
public final class ImageCaptchaPlugin implements Plugin {
  public static final String NAME = "ImageCaptcha";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  private static final SecureRandom SEEDS = new SecureRandom();

  private final Duration timeout;

  public ImageCaptchaPlugin(Duration timeout) {
    this.timeout = timeout;
  }

  public ImageCaptchaPlugin() {
    this(DEFAULT_TIMEOUT);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object create(PluginContext context) {
    LuauTable t = new LuauTable(0, 1);
    LuauFunction create = LuauFunction.host("Create", (L, a) -> {
      // ctx.ImageCaptcha.Create(config) as typed; ctx.ImageCaptcha:Create(config) works too.
      WorkerMetrics.PLUGIN_CALLS.inc(NAME); // no rate limiter counts it for us
      Object[] args = a.length > 1 && a[0] == t ? java.util.Arrays.copyOfRange(a, 1, a.length) : a;
      CaptchaConfig config = CaptchaConfig.parse(HostArgs.table(args, 0, "ImageCaptcha.Create", "config"));
      long seed;
      synchronized (SEEDS) {
        seed = SEEDS.nextLong();
      }
      CaptchaRenderer.Result r = context.await(L, "ImageCaptcha Create",
          () -> CaptchaRenderer.render(config, new java.util.Random(seed), new CaptchaRenderer.Deadline(timeout.toMillis())));
      L.allocate(r.png().length);
      return new Object[] {Tables.frozen("text", LuauString.of(r.text()), "image", new LuauBuffer(r.png()))};
    });
    t.rawset(LuauString.of("Create"), create);
    t.freeze();
    return t;
  }
}
