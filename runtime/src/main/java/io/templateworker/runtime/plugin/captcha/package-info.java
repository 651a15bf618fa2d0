/** {@code ctx.ImageCaptcha}: PNG captchas drawn with headless {@code java.awt} (UPSTREAM.md §8.9). */
package io.templateworker.runtime.plugin.captcha;
