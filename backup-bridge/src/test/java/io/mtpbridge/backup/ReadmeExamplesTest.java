package io.mtpbridge.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in the backup modules' READMEs compiles: it is a region of
 * {@link ReadmeExamples} (a test source, compiled with the build), and the README shows it line
 * for line. A changed example must be changed in both places, or this fails.
 */
class ReadmeExamplesTest {
  /** The READMEs of the backup modules, relative to the repository. */
  static final List<String> READMES = List.of("backup-client/README.md", "backup-bridge/README.md",
      "backup-demo/README.md", "backup-protocol/README.md");
  private static final Path REPO = Path.of("").toAbsolutePath().getParent();
  private static final Path SOURCE = Path.of("src/test/java/io/mtpbridge/backup/ReadmeExamples.java");

  /** The ```java blocks of a markdown text, each dedented. */
  static List<String> javaBlocks(String markdown) {
    List<String> out = new ArrayList<>();
    List<String> block = null;
    for (String line : markdown.split("\n", -1)) {
      if (block == null && line.strip().equals("```java")) {
        block = new ArrayList<>();
      } else if (block != null && line.strip().equals("```")) {
        out.add(dedent(block));
        block = null;
      } else if (block != null) {
        block.add(line);
      }
    }
    return out;
  }

  /** file -> regions of ReadmeExamples.java marked for it, each dedented. */
  static Map<String, List<String>> regions(String source) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String file = null;
    List<String> region = null;
    for (String line : source.split("\n", -1)) {
      String t = line.strip();
      if (region == null && t.startsWith("// README ")) {
        file = t.substring("// README ".length());
        region = new ArrayList<>();
      } else if (region != null && t.equals("// END README")) {
        out.computeIfAbsent(file, f -> new ArrayList<>()).add(dedent(region));
        region = null;
      } else if (region != null) {
        region.add(line);
      }
    }
    assertEquals(null, region, "a README region is not closed");
    return out;
  }

  static String dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String l : lines) if (!l.isBlank()) indent = Math.min(indent, l.length() - l.stripLeading().length());
    StringBuilder sb = new StringBuilder();
    for (String l : lines) sb.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
    return sb.toString().strip();
  }

  @Test void everyJavaExampleOfTheBackupReadmesIsCompiledSourceAndBack() throws Exception {
    Map<String, List<String>> regions = regions(Files.readString(SOURCE, StandardCharsets.UTF_8));
    int examples = 0;
    for (String readme : READMES) {
      List<String> blocks = javaBlocks(Files.readString(REPO.resolve(readme), StandardCharsets.UTF_8));
      List<String> compiled = new ArrayList<>(regions.getOrDefault(readme, List.of()));
      for (String block : blocks) {
        assertTrue(compiled.remove(block), readme + ": this example is not (or no longer) the same as a region of "
            + SOURCE.getFileName() + " marked for it:\n" + block);
        examples++;
      }
      assertTrue(compiled.isEmpty(), SOURCE.getFileName() + " has a region for " + readme + " that the README no longer shows:\n" + compiled);
    }
    for (String file : regions.keySet()) assertTrue(READMES.contains(file), "a region names " + file + ", which is not checked");
    assertEquals(3, examples, "the number of examples checked (update when READMEs gain or lose one)");
  }

  @Test void theCheckSeesADifference() {
    String readme = "text\n```java\nint a = 1;\n```\n";
    assertEquals(List.of("int a = 1;"), javaBlocks(readme));
    assertFalse(javaBlocks(readme).contains("int a = 2;"));
    Map<String, List<String>> r = regions("  // README x.md\n    int a = 1;\n  // END README\n");
    assertEquals(Map.of("x.md", List.of("int a = 1;")), r);
  }
}
