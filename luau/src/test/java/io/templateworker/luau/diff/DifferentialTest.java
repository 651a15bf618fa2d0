package io.templateworker.luau.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The differential test against the reference Luau CLI: the hand-written corpus and generated programs must
 * print, fail and exit exactly as under the reference, except for the {@link KnownDifferences}. Runs when the
 * reference CLI is given by path ({@code LUAU_REF=/path/to/luau bin/test -pl luau}, or
 * {@code -Dluau.ref=...}); CI has none, so it is skipped there with a note. {@code LUAU_DIFF_PROGRAMS} sets how
 * many programs are generated (default 2000), {@code LUAU_DIFF_SEED} the first seed.
 */
class DifferentialTest {

  @Test
  void every_program_behaves_as_under_the_reference_cli(@TempDir Path dir) throws Exception {
    String ref = System.getProperty("luau.ref", System.getenv("LUAU_REF"));
    Assumptions.assumeTrue(ref != null && !ref.isBlank(),
        "no reference Luau CLI given (set LUAU_REF=/path/to/luau or -Dluau.ref=...): differential test skipped");
    Assumptions.assumeTrue(Files.isExecutable(Path.of(ref)), "LUAU_REF is not an executable: " + ref);
    DiffRunner runner = new DiffRunner(Path.of(ref));
    DiffRunner.Report report = new DiffRunner.Report();
    runner.compareAll(DiffMain.luauFiles(Corpus.handWritten()), report);
    int count = Integer.parseInt(System.getenv().getOrDefault("LUAU_DIFF_PROGRAMS", "2000"));
    long seed = Long.parseLong(System.getenv().getOrDefault("LUAU_DIFF_SEED", "1"));
    Corpus.generate(runner, dir, seed, count, report, false);
    System.err.println("differential test: " + report.summary());
    assertThat(report.unexplained).as("programs that behave differently under the reference CLI:\n%s",
        report.unexplained.stream().limit(20).map(DiffRunner.Mismatch::describe).collect(Collectors.joining("\n")))
        .isEmpty();
  }
}
