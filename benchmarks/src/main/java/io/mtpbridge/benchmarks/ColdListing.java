package io.mtpbridge.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The listing path's cold cost: every measurement is a fresh JVM that lists a tree once and exits
 * ({@link ColdListingRun}), single shot, so class loading, the interpreter and the JIT's work
 * are all in the figure, as on a device's first connection after start. JVM variants (JVM
 * options, jars, the shipped launcher) are run in turn, A/B/A/B, so a noisy neighbour on the
 * machine hits all of them alike.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.mtpbridge.benchmarks.ColdListing \
 *     [files=2000,100000] [modes=all,files] [runs=5] [dir=/tmp/mtpbridge-cold] \
 *     [variant.NAME="[VAR=value ...] command ... main-class"] ...
 * </pre>
 *
 * A variant is a command line that runs {@code ColdListingRun} and gets the tree's folder and the
 * mode appended, e.g. {@code variant.before="java -Xmx64m -cp old/mtpd.jar:old/benchmarks.jar
 * io.mtpbridge.benchmarks.ColdListingRun"}. The default variant is mtpd as it ships: its launcher
 * ({@code mtp-device/bin/mtpd}, JVM options and class-data archive included) running
 * ColdListingRun instead of mtpd's main. Trees are made once under {@code dir} (folders of 200
 * files for 2,000, of 1,000 beyond) and kept for later runs.
 */
public final class ColdListing {
  private ColdListing() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    Map<String, String> variants = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("arguments are key=value, not " + a);
      String key = a.substring(0, eq);
      if (key.startsWith("variant.")) variants.put(key.substring(8), a.substring(eq + 1));
      else opts.put(key, a.substring(eq + 1));
    }
    int[] sizes = Arrays.stream(opts.getOrDefault("files", "2000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
    String[] modes = opts.getOrDefault("modes", "all,files").split(",");
    int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
    Path dir = Path.of(opts.getOrDefault("dir", "/tmp/mtpbridge-cold"));
    if (variants.isEmpty()) variants.put("shipped", defaultVariant());

    System.out.println("load average at start: " + loadAverage());
    for (int files : sizes) {
      Path tree = Trees.ensure(dir, files);
      for (String mode : modes) {
        if (mode.equals("files") && files > 20_000) continue; // a transaction per object: not a cold-start figure
        Map<String, List<String[]>> results = new LinkedHashMap<>();
        for (int r = 0; r < runs; r++) {
          for (Map.Entry<String, String> v : variants.entrySet()) {
            long t0 = System.nanoTime();
            String line = runChild(v.getValue(), tree, mode);
            long wall = (System.nanoTime() - t0) / 1_000_000;
            String[] row = parse(line, wall);
            results.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(row);
            System.out.printf("  %s %d files, %s, run %d: %s, %s bytes, process %s ms, listing %s ms, listing CPU %s ms, process CPU %s ms, VmHWM %s kB%n",
                v.getKey(), files, mode, r + 1, row[5], row[6], row[0], row[1], row[2], row[3], row[4]);
          }
        }
        System.out.printf("%n%,d files, mode %s: medians of %d fresh JVMs (load average now %s)%n", files, mode, runs, loadAverage());
        System.out.printf("| %-12s | %12s | %12s | %14s | %14s | %10s | %s |%n", "variant", "process ms", "listing ms", "listing CPU ms",
            "process CPU ms", "VmHWM MB", "outcome");
        for (Map.Entry<String, List<String[]>> e : results.entrySet()) {
          System.out.printf("| %-12s | %12s | %12s | %14s | %14s | %10s | %s |%n", e.getKey(), median(e.getValue(), 0), median(e.getValue(), 1),
              median(e.getValue(), 2), median(e.getValue(), 3), mb(median(e.getValue(), 4)),
              String.join(" ", e.getValue().stream().map(r -> r[5]).distinct().toList()));
        }
        System.out.println();
      }
    }
  }

  /** mtpd's launcher running the listing instead of mtpd, when the checkout has one; else a plain JVM. */
  private static String defaultVariant() {
    Path launcher = Path.of("mtp-device/bin/mtpd");
    String bench = Path.of("benchmarks/target/benchmarks.jar").toAbsolutePath().toString();
    if (Files.isExecutable(launcher)) {
      return "MTPD_MAIN=" + ColdListingRun.class.getName() + " MTPD_CLASSPATH_APPEND=" + bench + " " + launcher.toAbsolutePath();
    }
    return "java -Xmx64m -cp " + Path.of("mtp-device/target/mtpd.jar").toAbsolutePath() + ":" + bench + " " + ColdListingRun.class.getName();
  }

  private static String runChild(String variant, Path tree, String mode) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (String word : variant.trim().split("\\s+")) {
      int eq = word.indexOf('=');
      if (command.isEmpty() && eq > 0 && word.substring(0, eq).matches("[A-Z_][A-Z0-9_]*")) env.put(word.substring(0, eq), word.substring(eq + 1));
      else command.add(word);
    }
    command.add(tree.toString());
    command.add(mode);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String result = null;
    StringBuilder all = new StringBuilder();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        all.append(line).append('\n');
        if (line.startsWith("result ")) result = line;
      }
    }
    int status = p.waitFor();
    if (status != 0 || result == null) throw new IOException("child " + command + " exited " + status + ":\n" + all);
    return result;
  }

  /** process wall ms, listing ms, listing CPU ms, process CPU ms, VmHWM kB, outcome, bytes listed. */
  private static String[] parse(String line, long processWall) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (String w : line.split(" ")) {
      int eq = w.indexOf('=');
      if (eq > 0) kv.put(w.substring(0, eq), w.substring(eq + 1));
    }
    return new String[] {Long.toString(processWall), kv.get("list_ms"), kv.get("list_cpu_ms"), kv.get("total_cpu_ms"), kv.get("vmhwm_kb"),
        kv.get("outcome"), kv.get("bytes")};
  }

  private static String median(List<String[]> rows, int column) {
    long[] v = rows.stream().mapToLong(r -> Long.parseLong(r[column])).sorted().toArray();
    return v.length % 2 == 1 ? Long.toString(v[v.length / 2]) : Long.toString((v[v.length / 2 - 1] + v[v.length / 2]) / 2);
  }

  private static String mb(String kb) { return String.format(Locale.ROOT, "%.1f", Long.parseLong(kb) / 1024.0); }

  static String loadAverageNow() { return loadAverage(); }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  /** Benchmark trees: N small files in folders, made once and kept. */
  static final class Trees {
    private Trees() {}

    static Path ensure(Path dir, int files) throws IOException {
      Path tree = dir.resolve("tree-" + files);
      Path done = dir.resolve("tree-" + files + ".done");
      if (Files.exists(done)) return tree;
      System.out.printf("making %,d files under %s ...%n", files, tree);
      int perFolder = files <= 2000 ? 200 : 1000;
      byte[] content = new byte[100];
      for (int i = 0; i < files; i++) {
        Path folder = tree.resolve(String.format("folder-%04d", i / perFolder));
        if (i % perFolder == 0) Files.createDirectories(folder);
        Files.write(folder.resolve(String.format("IMG_%07d.jpg", i)), content);
      }
      Files.createFile(done);
      return tree;
    }
  }
}
