package io.mtpbridge.backup.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.ArchiveException;
import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writer and reader agree; corruption, truncation and tampering are caught and named. */
class ArchiveRoundTripTest {
  @TempDir Path tmp;

  static byte[] sample(Staging staging) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter w = new ArchiveWriter(out);
    Spool data = staging.newSpool();
    byte[] payload = new byte[300_000];
    for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
    data.write(payload, 0, payload.length);
    data.finish();
    Manifest.Stream a = w.writeSpool("owners/o.a/internal/active.base", EntryName.ACTIVE_BASE, data, 1000);
    byte[] file = "hello".getBytes(StandardCharsets.UTF_8);
    Manifest.Stream f = w.writeSource("owners/o.b/internal/files/x/y.txt", EntryName.FILE, file.length, 2000, 0640, new ByteArrayInputStream(file));
    Manifest m = new Manifest(1, "set-1", null, "dev", "now", "backup-full", "base", List.of(
        new Manifest.Owner("o.a", "active", "ok", null, List.of(new Manifest.Volume("internal", List.of(a)))),
        new Manifest.Owner("o.b", "passive", "ok", null, List.of(new Manifest.Volume("internal", List.of(f))))));
    w.finish(m);
    data.delete();
    return out.toByteArray();
  }

  @Test void roundTrip() throws Exception {
    Staging staging = new Staging(tmp, 1 << 30);
    byte[] tar = sample(staging);
    try (VerifiedArchive v = ArchiveReader.read(new ByteArrayInputStream(tar), staging)) {
      assertEquals("set-1", v.manifest().setId());
      assertEquals(300_000, v.stream("owners/o.a/internal/active.base").size());
      assertEquals("hello", new String(v.stream("owners/o.b/internal/files/x/y.txt").openInput().readAllBytes(), StandardCharsets.UTF_8));
      assertEquals(0640, v.mode("owners/o.b/internal/files/x/y.txt"));
    }
    assertEquals(0, staging.used(), "verified archive frees its staging on close");
  }

  @Test void corruptByteIsNamed() throws Exception {
    Staging staging = new Staging(tmp, 1 << 30);
    byte[] tar = sample(staging);
    tar[2048 + 1000] ^= 0x55; // inside the active.base payload (after its pax and ustar headers)
    ArchiveException e = assertThrows(ArchiveException.class, () -> ArchiveReader.read(new ByteArrayInputStream(tar), staging));
    assertEquals("owners/o.a/internal/active.base", e.stream());
    assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    assertEquals(0, staging.used());
  }

  @Test void truncationIsCaught() throws Exception {
    Staging staging = new Staging(tmp, 1 << 30);
    byte[] tar = sample(staging);
    for (int cut : new int[] {100, 5000, 200_000, tar.length - 3000, tar.length - 1100}) {
      byte[] t = java.util.Arrays.copyOf(tar, cut);
      assertThrows(ArchiveException.class, () -> ArchiveReader.read(new ByteArrayInputStream(t), staging), "cut at " + cut);
    }
    assertEquals(0, staging.used());
  }

  @Test void manySmallEntriesStayWithinTheMemoryBudget() throws Exception {
    Staging staging = new Staging(tmp.resolve("many"), 1L << 30);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArchiveWriter w = new ArchiveWriter(out);
    java.util.List<Manifest.Stream> streams = new java.util.ArrayList<>();
    byte[] content = new byte[10_000];
    for (int i = 0; i < 2000; i++) {
      content[0] = (byte) i;
      streams.add(w.writeSource("owners/o.p/internal/files/f" + i, EntryName.FILE, content.length, 1, 0644, new ByteArrayInputStream(content)));
    }
    w.finish(new Manifest(1, "s", null, "d", "t", "backup-full", "base",
        List.of(new Manifest.Owner("o.p", "passive", "ok", null, List.of(new Manifest.Volume("internal", streams))))));
    w.close();
    try (VerifiedArchive v = ArchiveReader.read(new ByteArrayInputStream(out.toByteArray()), staging)) {
      assertEquals(2000, v.manifest().allStreams().size());
      assertTrue(staging.memoryInUse() <= Staging.MEMORY_BUDGET, "heap held by spools: " + staging.memoryInUse());
      assertEquals(10_000, v.stream("owners/o.p/internal/files/f1999").openInput().readAllBytes().length);
    }
    assertEquals(0, staging.memoryInUse());
    assertEquals(0, staging.used());
  }

  @Test void stagingLimitIsEnforced() throws Exception {
    byte[] tar = sample(new Staging(tmp.resolve("a"), 1 << 30));
    Staging small = new Staging(tmp.resolve("b"), 100_000);
    assertThrows(Staging.StagingFullException.class, () -> ArchiveReader.read(new ByteArrayInputStream(tar), small));
    assertEquals(0, small.used());
  }
}
