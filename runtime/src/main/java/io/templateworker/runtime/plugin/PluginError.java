package io.templateworker.runtime.plugin;

/**
 * A plugin failure whose message is meant for the template author ("File size 600000 exceeds the upload
 * limit of 524288 bytes"). Raised inside {@link PluginContext#await} work it becomes a Luau error with that
 * message; any other exception there is logged and reported as an internal error without Java details.
 */
public final class PluginError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginError(String message) {
    super(message, null, false, false);
  }

  public PluginError(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
