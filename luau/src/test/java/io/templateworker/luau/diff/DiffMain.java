package io.templateworker.luau.diff;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code bin/luau-diff REF_PATH [--generate N] [--seed S] [--keep DIR] [FILE|DIR...]}: runs the given programs
 * (every *.luau under a directory), or the hand-written corpus and N generated programs when none is given,
 * under the reference CLI and bin/luau; prints each unexplained difference and a summary. Exit 1 when any
 * difference is unexplained.
 */
public final class DiffMain {
  private DiffMain() {
  }

  public static void main(String[] argv) throws IOException, InterruptedException {
    if (argv.length == 0) {
      System.err.println("usage: bin/luau-diff REF_PATH [--generate N] [--seed S] [--keep DIR] [FILE|DIR...]");
      System.exit(2);
    }
    Path ref = Path.of(argv[0]);
    int generate = -1;
    long seed = 1;
    Path keep = null;
    List<Path> inputs = new ArrayList<>();
    for (int i = 1; i < argv.length; i++) {
      switch (argv[i]) {
        case "--generate" -> generate = Integer.parseInt(argv[++i]);
        case "--seed" -> seed = Long.parseLong(argv[++i]);
        case "--keep" -> keep = Path.of(argv[++i]);
        default -> inputs.add(Path.of(argv[i]));
      }
    }
    DiffRunner runner = new DiffRunner(ref);
    DiffRunner.Report report = new DiffRunner.Report();
    List<Path> files = new ArrayList<>();
    for (Path p : inputs) {
      files.addAll(luauFiles(p));
    }
    if (inputs.isEmpty()) {
      files.addAll(luauFiles(Corpus.handWritten()));
      if (generate < 0) {
        generate = 1000;
      }
    }
    runner.compareAll(files, report);
    if (generate > 0) {
      Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("luau-diff");
      Corpus.generate(runner, dir, seed, generate, report, keep != null);
    }
    for (DiffRunner.Mismatch m : report.unexplained) {
      System.out.println(m.describe());
    }
    System.out.println(report.summary());
    System.exit(report.unexplained.isEmpty() ? 0 : 1);
  }

  static List<Path> luauFiles(Path p) throws IOException {
    if (!Files.isDirectory(p)) {
      return List.of(p);
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> f.toString().endsWith(".luau")).sorted().toList();
    }
  }
}
