package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup side of {@link Manifest#MAX_NAME_CHARS}: the readers refuse a set whose entry names
 * pass it, so a backup fails the owner whose file names would, and the set it makes still reads
 * back and restores the others. The real limit takes 8 Mi characters of file names to reach (a
 * test of it took 285 s); the engine's test seam makes the limit small, the rule stays the same.
 */
class NameLimitTest {
  private static final String SMALL = "org.example.a", MANY = "org.example.z";
  private static final int LIMIT = 4_000;
  @TempDir Path tmp;
  EngineFixture fx;

  @AfterEach void tearDown() {
    if (fx != null) fx.close();
  }

  @Test void theOwnerWhoseNamesWouldPassTheLimitFailsAndTheSetStillRestores() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive(SMALL, "small");
    fx.registerPassive(MANY, "many");
    fx.start(Duration.ofSeconds(5));
    fx.engine.limitNameCharsForFilesForTests(LIMIT);
    Files.createDirectories(fx.internal.resolve("small"));
    Files.writeString(fx.internal.resolve("small/one.txt"), "one");
    Files.writeString(fx.internal.resolve("small/two.txt"), "two");
    Files.createDirectories(fx.internal.resolve("many"));
    for (int i = 0; i < 100; i++) {
      Files.writeString(fx.internal.resolve(String.format("many/%03d-a-file-name-of-some-sixty-characters-in-all.txt", i)), "x" + i);
    }

    byte[] tar = fx.backup(false, List.of(), null);

    long fileNameChars = 0;
    int manyWritten = 0;
    try (TarArchiveInputStream in = new TarArchiveInputStream(EngineFixture.in(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        if (e.getName().equals(Manifest.FILE_NAME)) continue;
        EntryName n = EntryName.parse(e.getName());
        if (!n.kind().equals(EntryName.FILE)) continue;
        fileNameChars += e.getName().length();
        if (n.owner().equals(MANY)) manyWritten++;
      }
    }
    assertTrue(fileNameChars <= LIMIT, "file names in the archive: " + fileNameChars + " characters");
    assertTrue(manyWritten > 0 && manyWritten < 100, "the owner failed part way, at the limit: " + manyWritten + " files written");

    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      Manifest.Owner small = a.manifest().owners().get(0), many = a.manifest().owners().get(1);
      assertEquals(List.of(SMALL, MANY), List.of(small.id(), many.id()));
      assertEquals("ok", small.status());
      assertEquals(3, small.volumes().get(0).streams().size(), "two files and the files snapshot");
      assertEquals("failed", many.status());
      assertTrue(many.error().contains("file names longer than " + LIMIT + " characters in all in one backup set"), many.error());
      assertEquals(List.of(), many.volumes(), "nothing of the failed owner is listed");
    }

    Files.writeString(fx.internal.resolve("small/one.txt"), "changed");
    BackupSession.RestoreReport r = fx.restore(false, List.of(), tar);
    assertEquals(OwnerOutcome.RESTORED, r.outcomes().get(SMALL), r.outcomes().toString());
    assertEquals(OwnerOutcome.Kind.SKIPPED, r.outcomes().get(MANY).kind(), r.outcomes().toString());
    assertEquals(Map.of("one.txt", "one", "two.txt", "two"), EngineFixture.tree(fx.internal.resolve("small")));
    assertEquals(100, EngineFixture.tree(fx.internal.resolve("many")).size(), "the failed owner's files are left alone");
  }
}
