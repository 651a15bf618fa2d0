package io.templateworker.luau.diff;

import io.templateworker.luau.cli.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs Luau programs under the reference CLI (a process) and under {@code bin/luau}'s code (in this JVM, one
 * fresh state per program, exactly what {@code bin/luau FILE} does) and compares stdout, stderr and the exit
 * status after normalising what may legitimately differ (addresses). A mismatch is either explained by an
 * entry of {@link KnownDifferences} or reported.
 */
final class DiffRunner {
  /** One CLI's run of one program. */
  record Run(String stdout, String stderr, int status) {
  }

  /** A program whose runs differ, with the explanation when there is one. */
  record Mismatch(Path file, String source, Run reference, Run ours, KnownDifferences.Explained explained) {
    String describe() {
      StringBuilder b = new StringBuilder();
      b.append(file).append(explained == null ? ": UNEXPLAINED" : ": explained by " + explained.id()).append('\n');
      appendDiff(b, "stdout", reference.stdout(), ours.stdout());
      appendDiff(b, "stderr", reference.stderr(), ours.stderr());
      if (reference.status() != ours.status()) {
        b.append("  exit status: reference ").append(reference.status()).append(", ours ").append(ours.status())
            .append('\n');
      }
      return b.toString();
    }

    private static void appendDiff(StringBuilder b, String what, String ref, String ours) {
      if (ref.equals(ours)) {
        return;
      }
      String[] r = ref.split("\n", -1);
      String[] o = ours.split("\n", -1);
      for (int i = 0; i < Math.max(r.length, o.length); i++) {
        String rl = i < r.length ? r[i] : "<none>";
        String ol = i < o.length ? o[i] : "<none>";
        if (!rl.equals(ol)) {
          b.append("  ").append(what).append(" line ").append(i + 1).append(":\n    reference: ").append(clip(rl))
              .append("\n    ours:      ").append(clip(ol)).append('\n');
          return;
        }
      }
    }

    private static String clip(String s) {
      return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
  }

  /** What a batch found. */
  static final class Report {
    int programs;
    int same;
    final Map<String, Integer> explained = new TreeMap<>();
    final List<Mismatch> unexplained = new ArrayList<>();

    String summary() {
      int explainedCount = explained.values().stream().mapToInt(Integer::intValue).sum();
      return programs + " programs: " + same + " identical, " + explainedCount + " explained " + explained + ", "
          + unexplained.size() + " unexplained";
    }
  }

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{16}");

  private final Path reference;

  DiffRunner(Path reference) {
    this.reference = reference;
  }

  /** Runs one program file under both CLIs; null when they agree. */
  Mismatch compare(Path file) throws IOException, InterruptedException {
    Path abs = file.toAbsolutePath().normalize();
    Run ref = normalise(runReference(abs));
    Run ours = normalise(runOurs(abs));
    if (ref.equals(ours)) {
      return null;
    }
    String source = Files.readString(abs, StandardCharsets.ISO_8859_1);
    Mismatch m = new Mismatch(abs, source, ref, ours, null);
    return new Mismatch(abs, source, ref, ours, KnownDifferences.explain(m));
  }

  /** Compares every file and adds the outcome to {@code report}. */
  void compareAll(List<Path> files, Report report) throws IOException, InterruptedException {
    for (Path f : files) {
      report.programs++;
      Mismatch m = compare(f);
      if (m == null) {
        report.same++;
      } else if (m.explained() != null) {
        report.explained.merge(m.explained().id(), 1, Integer::sum);
      } else {
        report.unexplained.add(m);
      }
    }
  }

  private Run runReference(Path file) throws IOException, InterruptedException {
    Path out = Files.createTempFile("luau-ref", ".out");
    Path err = Files.createTempFile("luau-ref", ".err");
    try {
      Process p = new ProcessBuilder(reference.toString(), file.toString()).directory(file.getParent().toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      p.getOutputStream().close();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        return new Run(read(out), read(err) + "\n<timed out>", -1);
      }
      return new Run(read(out), read(err), p.exitValue());
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String read(Path p) throws IOException {
    return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
  }

  /** bin/luau FILE, in this JVM: the same entry point, on a virtual thread as bin/luau runs it. */
  private static Run runOurs(Path file) throws InterruptedException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int[] status = new int[1];
    PrintStream o = new PrintStream(out, false, StandardCharsets.ISO_8859_1);
    PrintStream e = new PrintStream(err, true, StandardCharsets.ISO_8859_1);
    Thread t = Thread.ofVirtual().start(() -> status[0] = MainAccess.run(
        new String[] {"--time-limit", "60000", file.toString()}, o, e));
    t.join();
    o.flush();
    return new Run(out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1), status[0]);
  }

  private static Run normalise(Run r) {
    return new Run(ADDRESS.matcher(r.stdout()).replaceAll("0x<address>"),
        ADDRESS.matcher(r.stderr()).replaceAll("0x<address>"), r.status());
  }
}
