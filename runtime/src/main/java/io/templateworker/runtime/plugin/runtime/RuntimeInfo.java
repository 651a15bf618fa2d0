package io.templateworker.runtime.plugin.runtime;

import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code ctx.Runtime} reports beyond the tenant's own state.
 *
 * @param links     {@code Runtime:links()}: from {@code meta.support_server_invite} and {@code sites.*}; null = nil
 * @param stats     {@code Runtime:stats()}: must be cheap (a cached figure), it is called on the VM's thread
 * @param folders   the folders {@code Runtime:getexposedvfs()} exposes
 * @param vfsOf     builds the Luau {@code Vfs} value of a folder (null folder = an empty Vfs); null when the
 *                  runtime has no Vfs type yet, which makes getexposedvfs an error that says so
 */
public record RuntimeInfo(Links links, Supplier<Stats> stats, ExposedFolders folders, Function<Path, Object> vfsOf) {

  /** {@code {support_server, api_url, frontend_url, docs_url}}. */
  public record Links(String supportServer, String apiUrl, String frontendUrl, String docsUrl) {
    public static final Links NONE = new Links(null, null, null, null);
  }

  /** {@code {total_cached_guilds, total_guilds, total_users, last_started_at}}. */
  public record Stats(long totalGuilds, long totalUsers, Instant lastStartedAt) {
  }

  /**
   * The folders of {@code getexposedvfs}: {@code Builtins} = {@code templates.builtins}, {@code TemplatingTypes} =
   * the first {@code templates.libraries} folder, else the builtins folder's own {@code templating-types/},
   * {@code BuiltinsPatches} = {@code templates.builtins_patches}. Each may be null (then its Vfs is empty).
   */
  public record ExposedFolders(Path builtins, Path templatingTypes, Path builtinsPatches) {
    public static final ExposedFolders NONE = new ExposedFolders(null, null, null);
  }

  /** No links, no Vfs, stats of a worker that started at {@code startedAt} and knows no guilds yet. */
  public static RuntimeInfo minimal(Instant startedAt) {
    Stats s = new Stats(0, 0, startedAt);
    return new RuntimeInfo(Links.NONE, () -> s, ExposedFolders.NONE, null);
  }
}
