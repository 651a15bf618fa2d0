package io.templateworker.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * {@code bin/bench NAME [ARGS]}: maps NAME to {@code io.templateworker.bench.<name>.<Name>Bench} and runs it.
 * A NAME with dashes or underscores ({@code key-expiry}) maps to package {@code keyexpiry} and class
 * {@code KeyExpiryBench}.
 */
public final class BenchMain {

    private static final String PACKAGE = "io.templateworker.bench";

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.err.println("usage: bin/bench NAME [ARGS]   prints 'name: value unit' lines");
            System.err.println("benchmarks: " + String.join(", ", available()));
            System.exit(args.length == 0 ? 2 : 0);
        }
        String className = className(args[0]);
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            System.err.println("bin/bench: no benchmark '" + args[0] + "' (looked for class " + className + "). Available: "
                    + String.join(", ", available()));
            System.exit(2);
            return;
        }
        if (!Bench.class.isAssignableFrom(type)) {
            System.err.println("bin/bench: " + className + " does not implement " + Bench.class.getName());
            System.exit(2);
        }
        Bench bench = (Bench) type.getDeclaredConstructor().newInstance();
        try {
            bench.run(Arrays.copyOfRange(args, 1, args.length), new Results(System.out));
        } catch (IllegalArgumentException e) {
            // A mistyped flag or value: say what was wrong, not a stack trace.
            System.err.println("bin/bench " + args[0] + ": " + e.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }

    /** {@code kv} → {@code io.templateworker.bench.kv.KvBench}; {@code key-expiry} → {@code ...keyexpiry.KeyExpiryBench}. */
    static String className(String name) {
        StringBuilder pkg = new StringBuilder();
        StringBuilder simple = new StringBuilder();
        for (String part : name.toLowerCase(Locale.ROOT).split("[-_]")) {
            if (part.isEmpty()) {
                continue;
            }
            pkg.append(part);
            simple.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return PACKAGE + "." + pkg + "." + simple + "Bench";
    }

    /** Benchmark names found in this jar (or classes directory), for the usage message. */
    static Set<String> available() throws IOException, URISyntaxException {
        Set<String> names = new TreeSet<>();
        Path where = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String prefix = PACKAGE.replace('.', '/') + "/";
        if (Files.isDirectory(where)) {
            try (var files = Files.walk(where.resolve(prefix))) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    addIfBench(names, where.relativize(p).toString().replace('\\', '/'), prefix);
                }
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                    addIfBench(names, e.getName(), prefix);
                }
            }
        }
        return names;
    }

    private static void addIfBench(Set<String> names, String entry, String prefix) {
        if (!entry.startsWith(prefix) || !entry.endsWith("Bench.class")) {
            return;
        }
        String rest = entry.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash > 0 && rest.indexOf('/', slash + 1) < 0 && !rest.contains("$")) {
            names.add(nameOf(rest.substring(slash + 1, rest.length() - "Bench.class".length())));
        }
    }

    /** {@code KeyExpiry} → {@code key-expiry}: the inverse of {@link #className}. */
    static String nameOf(String simpleName) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < simpleName.length(); i++) {
            char c = simpleName.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                name.append('-');
            }
            name.append(Character.toLowerCase(c));
        }
        return name.toString();
    }
}
