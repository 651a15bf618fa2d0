package io.templateworker.luau.diff;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the differential harness's programs come from: the hand-written corpus and the generator. */
final class Corpus {
  private Corpus() {
  }

  /** {@code src/test/resources/luau/diff}: programs written to probe one area each (they print, some fail). */
  static Path handWritten() {
    try {
      return Path.of(Corpus.class.getResource("/luau/diff").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Generates {@code count} programs from {@code seed} on into {@code dir}, compares each and adds the outcome
   * to {@code report}. A program that differs stays in {@code dir} for inspection; the others are deleted
   * unless {@code keepAll}.
   */
  static void generate(DiffRunner runner, Path dir, long seed, int count, DiffRunner.Report report, boolean keepAll)
      throws IOException, InterruptedException {
    for (int i = 0; i < count; i++) {
      long s = seed + i;
      Path f = dir.resolve("gen_" + s + ".luau");
      Files.writeString(f, new DiffProgramGenerator(s).program(), StandardCharsets.UTF_8);
      report.programs++;
      DiffRunner.Mismatch m = runner.compare(f);
      if (m == null) {
        report.same++;
      } else if (m.explained() != null) {
        report.explained.merge(m.explained().id(), 1, Integer::sum);
      } else {
        report.unexplained.add(m);
      }
      if (m == null && !keepAll) {
        Files.delete(f);
      }
    }
  }
}
