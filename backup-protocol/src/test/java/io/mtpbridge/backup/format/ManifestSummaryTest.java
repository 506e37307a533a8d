package io.mtpbridge.backup.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Manifest#summary}: what a listing of many sets keeps of each. It reads the same
 * manifests {@link Manifest#read} reads and refuses the same ones with the same words, and its
 * summary is the whole manifest's.
 */
class ManifestSummaryTest {
  private static final String SHA = "0".repeat(64);

  private static Manifest sample() {
    List<Manifest.Stream> streams = List.of(new Manifest.Stream("owners/o.a/internal/files/x", "file", 1, SHA, 5),
        new Manifest.Stream("owners/o.a/internal/files.snapshot", "files.snapshot", 2, SHA, 6));
    return new Manifest(Manifest.FORMAT, "set-2", "set-1", "Demo", "2026-01-01T00:00:00Z", "backup-full", "increment",
        List.of(new Manifest.Owner("o.a", "passive", "ok", "", List.of(new Manifest.Volume("internal", streams))),
            new Manifest.Owner("o.b", "active", "failed", "it broke", List.of()),
            new Manifest.Owner("o.c", "active", "ok", null, List.of(new Manifest.Volume("internal", streams.subList(0, 1), 42L)))));
  }

  @Test void theSummaryOfAManifestIsThatOfItsWholeRead() throws Exception {
    String json = sample().toJson();
    Manifest.Summary s = Manifest.summary(new StringReader(json));
    assertEquals(Manifest.Summary.of(Manifest.read(new StringReader(json))), s);
    assertEquals(Manifest.Summary.of(sample()), s);
    assertEquals(3, s.streams());
    assertEquals(List.of("o.a", "o.b", "o.c"), s.owners().stream().map(Manifest.OwnerState::id).toList());
    assertEquals("it broke", s.owners().get(1).error());
    assertEquals(false, s.owners().get(1).ok());
    assertEquals(true, s.isIncrement());
  }

  @Test void whatReadRefusesSummaryRefusesInTheSameWords() {
    String good = sample().toJson();
    for (String bad : List.of(
        "{not json",
        good.replace(SHA, "xyz"),
        good.replace("\"size\" : 1", "\"size\" : -1"),
        good.replace("\"format\" : 1", "\"format\" : 2"),
        good.replace("\"type\" : \"increment\"", "\"type\" : \"other\""),
        good + "{}",
        good.replace("\"kind\" : \"passive\"", "\"kind\" : \"other\""),
        good.replace("\"mtime\" : 5", "\"mtime\" : \"5\""))) {
      String read = assertThrows(ArchiveException.class, () -> Manifest.read(new StringReader(bad)), bad).getMessage();
      String summary = assertThrows(ArchiveException.class, () -> Manifest.summary(new StringReader(bad)), bad).getMessage();
      assertEquals(read, summary);
    }
  }
}
