package io.mtpbridge.host.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupRepositoryTest {
  @TempDir Path tmp;

  private static Manifest manifest(String id, String parent, String created) {
    return new Manifest(Manifest.FORMAT, id, parent, "Demo", created, "backup-full", parent == null ? "base" : "increment", List.of());
  }

  /** A set as a backup would leave it, through the same commit path. */
  private StoredSet add(BackupRepository repo, String id, String parent, String created) throws IOException {
    BackupRepository.IncompleteSet s = repo.begin();
    Files.write(s.archive(), new byte[] {1, 2, 3});
    return s.commit(manifest(id, parent, created), new SetRecord(id, "SER", "Acme", "Phone", created, 3));
  }

  private static List<String> ids(List<StoredSet> sets) {
    return sets.stream().map(StoredSet::id).toList();
  }

  @Test void setsAreListedOldestFirstAndChainsResolve() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    assertEquals(List.of(), repo.sets());
    add(repo, "cccc-3", "bbbb-2", "2024-01-03T00:00:00Z");
    add(repo, "aaaa-1", null, "2024-01-01T00:00:00Z");
    add(repo, "bbbb-2", "aaaa-1", "2024-01-02T00:00:00Z");
    assertEquals(List.of("aaaa-1", "bbbb-2", "cccc-3"), ids(repo.sets()));
    assertEquals("cccc-3", repo.newest().orElseThrow().id());
    assertEquals(List.of("aaaa-1", "bbbb-2"), ids(repo.chain(repo.find("bbbb-2"))));
    assertEquals("bbbb-2", repo.find("bbbb").id(), "a unique prefix");
    assertThrows(IOException.class, () -> repo.find("zzzz"));
    assertEquals("full", repo.find("aaaa-1").type());
    assertEquals("incremental", repo.find("cccc-3").type());
  }

  @Test void pruneNeverRemovesWhatAKeptSetNeeds() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "s1", null, "2024-01-01T00:00:00Z");
    add(repo, "s2", "s1", "2024-01-02T00:00:00Z");
    add(repo, "s3", null, "2024-01-03T00:00:00Z");
    add(repo, "s4", "s2", "2024-01-04T00:00:00Z"); // a branch on the older chain
    add(repo, "s5", "s3", "2024-01-05T00:00:00Z");
    assertEquals(List.of(), repo.prune(5));
    assertEquals(List.of(), repo.prune(3), "keep 3 = s3, s4, s5: s4 needs s2 and s1, s5 needs s3");
    assertEquals(List.of("s1", "s2", "s3", "s4", "s5"), ids(repo.sets()));
    assertEquals(List.of("s1", "s2", "s4"), ids(repo.prune(1)));
    assertEquals(List.of("s3", "s5"), ids(repo.sets()));
    try (var s = Files.list(repo.folder())) {
      assertEquals(2, s.filter(p -> !p.getFileName().toString().equals(BackupRepository.LOCK)).count(), "nothing hidden left behind");
    }
  }

  @Test void aMissingParentIsABrokenChain() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "s2", "s1", "2024-01-02T00:00:00Z");
    BrokenChainException e = assertThrows(BrokenChainException.class, () -> repo.chain(repo.find("s2")));
    assertEquals("s1", e.missing());
    assertTrue(e.getMessage().contains("needs set s1"), e.getMessage());
  }

  @Test void leftoversOfAKilledRunAreNeverListedAndGoAtTheNextBackup() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    // what a killed run leaves: its hidden folders (the operating system dropped its lock)
    Path killed = Files.createDirectories(repo.folder().resolve(BackupRepository.INCOMPLETE + "dead"));
    Files.write(killed.resolve(StoredSet.ARCHIVE), new byte[100]);
    Path halfPruned = Files.createDirectories(repo.folder().resolve(BackupRepository.DELETING + "s0"));
    assertEquals(List.of(), repo.sets());
    BackupRepository.IncompleteSet next = repo.begin();
    assertFalse(Files.exists(killed));
    assertFalse(Files.exists(halfPruned));
    next.discard();
    assertFalse(Files.exists(next.dir()));
  }

  /**
   * A second writer of the same repository (another device's backup given the same --repo, a
   * prune meanwhile) is refused while the first writes. Before, the second backup's start removed
   * the first one's set in progress as a leftover of a killed run.
   */
  @Test void oneWriterAtATime() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "s1", null, "2024-01-01T00:00:00Z");
    BackupRepository.IncompleteSet writing = repo.begin();
    Files.write(writing.archive(), new byte[] {1, 2, 3});
    BackupRepository other = new BackupRepository(tmp.resolve("repo"));
    IOException busy = assertThrows(IOException.class, other::begin);
    assertTrue(busy.getMessage().contains("in use by another mtpbridge"), busy.getMessage());
    assertTrue(Files.exists(writing.archive()), "the set in progress is untouched");
    assertThrows(IOException.class, () -> other.prune(1));
    writing.commit(manifest("s2", "s1", "2024-01-02T00:00:00Z"), new SetRecord("s2", "SER", "Acme", "Phone", "x", 3));
    assertEquals(List.of("s1", "s2"), ids(repo.sets()));
    assertEquals(List.of(), other.prune(1), "free again once committed; s2 needs s1");
    other.begin().discard();
    assertThrows(IOException.class, () -> add(repo, "../bad", null, "2024-01-03T00:00:00Z"));
    other.begin().discard(); // a commit that failed let go too
  }

  /** A damaged set's small files are read only when small and regular: never gigabytes into memory, never a FIFO's endless wait. */
  @Test void aHugeOrSpecialManifestIsAProblemNotACrashOrAHang() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "good", null, "2024-01-01T00:00:00Z");
    add(repo, "huge", null, "2024-01-02T00:00:00Z");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(repo.folder().resolve("huge/manifest.json").toFile(), "rw")) {
      f.setLength(3L << 30); // sparse: 3 GiB that take no disk
    }
    add(repo, "fifo", null, "2024-01-03T00:00:00Z");
    Path fifo = repo.folder().resolve("fifo/set.json");
    Files.delete(fifo);
    boolean haveFifo = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    List<StoredSet> sets = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), repo::sets);
    assertEquals(List.of("good"), ids(sets));
    assertEquals(haveFifo ? 2 : 1, repo.problems().size(), repo.problems().toString());
    assertTrue(repo.problems().stream().anyMatch(p -> p.startsWith("huge: manifest.json is larger than")), repo.problems().toString());
    if (haveFifo) assertTrue(repo.problems().stream().anyMatch(p -> p.equals("fifo: set.json is not a regular file")), repo.problems().toString());
  }

  /**
   * s3 needs s2, which needs s1; s2's set.json is damaged, so s2 is not listed. prune --keep 1
   * kept s3, found no parent for it and removed s1, the base the whole chain needs. Now it removes
   * nothing while a set cannot be read.
   */
  @Test void pruneRemovesNothingWhileASetCannotBeRead() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "s1", null, "2024-01-01T00:00:00Z");
    add(repo, "s2", "s1", "2024-01-02T00:00:00Z");
    add(repo, "s3", "s2", "2024-01-03T00:00:00Z");
    Files.writeString(repo.folder().resolve("s2").resolve(SetRecord.FILE_NAME), "{damaged");
    IOException e = assertThrows(IOException.class, () -> repo.prune(1));
    assertTrue(e.getMessage().contains("s2") && e.getMessage().contains("nothing was removed"), e.getMessage());
    assertTrue(Files.isRegularFile(repo.folder().resolve("s1").resolve(StoredSet.ARCHIVE)), "the base is still there");
    assertEquals(List.of("s1", "s3"), ids(repo.sets()));
  }

  /**
   * A repository is a folder of plain folders and files: a set folder, an archive or a lock that is
   * a symbolic link led reads (verify, restore sent it to the device) and writes (the lock file was
   * created where the link pointed) outside it. Now such a set is a problem and the lock is not followed.
   */
  @Test void linksInARepositoryAreNeverFollowed() throws Exception {
    BackupRepository elsewhere = new BackupRepository(tmp.resolve("elsewhere"));
    add(elsewhere, "outside", null, "2024-01-01T00:00:00Z");
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "good", null, "2024-01-02T00:00:00Z");
    add(repo, "linked", null, "2024-01-03T00:00:00Z");
    Files.createSymbolicLink(repo.folder().resolve("outside"), elsewhere.folder().resolve("outside"));
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "not for the device");
    Path archive = repo.folder().resolve("linked").resolve(StoredSet.ARCHIVE);
    Files.delete(archive);
    Files.createSymbolicLink(archive, secret);
    assertEquals(List.of("good"), ids(repo.sets()));
    assertEquals(2, repo.problems().size(), repo.problems().toString());
    assertTrue(repo.problems().stream().anyMatch(p -> p.startsWith("outside: a symbolic link")), repo.problems().toString());
    assertTrue(repo.problems().stream().anyMatch(p -> p.startsWith("linked: backup.tar is not a regular file")), repo.problems().toString());

    BackupRepository fresh = new BackupRepository(tmp.resolve("fresh"));
    Files.createDirectories(fresh.folder());
    Path target = tmp.resolve("made-outside");
    Files.createSymbolicLink(fresh.folder().resolve(BackupRepository.LOCK), target);
    assertEquals(List.of(), fresh.prune(1));
    fresh.begin().discard();
    assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing created through the link");
    assertTrue(Files.isDirectory(elsewhere.folder().resolve("outside")));
  }

  @Test void unreadableSetsAreReportedNotListed() throws Exception {
    BackupRepository repo = new BackupRepository(tmp.resolve("repo"));
    add(repo, "good", null, "2024-01-01T00:00:00Z");
    Path bad = Files.createDirectories(repo.folder().resolve("bad"));
    Files.writeString(bad.resolve("manifest.json"), "{not json");
    assertEquals(List.of("good"), ids(repo.sets()));
    assertEquals(1, repo.problems().size());
    assertTrue(repo.problems().get(0).startsWith("bad: "), repo.problems().toString());
  }

  /** The set id comes from the device's manifest: one that is not a plain name must not place a set outside the repository. */
  @Test void aSetIdThatIsNotAPlainNameKeepsNothing() throws Exception {
    Path repoDir = tmp.resolve("repo/SER");
    BackupRepository repo = new BackupRepository(repoDir);
    for (String id : List.of("../escaped", tmp.resolve("abs").toString(), "a/b", ".hidden", "", "x".repeat(200))) {
      IOException e = assertThrows(IOException.class, () -> add(repo, id, null, "2026-01-01T00:00:00Z"), id);
      assertTrue(e.getMessage().contains("not a plain name"), e.getMessage());
    }
    assertFalse(Files.exists(tmp.resolve("repo/escaped")));
    assertFalse(Files.exists(tmp.resolve("abs")));
    assertEquals(List.of(), repo.sets());
    add(repo, "0b6c6a52-8f43-4b5e-9d4e-0e6f4f4b8a11", null, "2026-01-01T00:00:00Z");
    assertEquals(1, repo.sets().size());
  }

  @Test void deviceFoldersAreSafeNames() {
    Path root = tmp.resolve("backups");
    assertEquals(root.resolve("ABC-1.2_x"), BackupRepository.deviceFolder(root, "ABC-1.2_x"));
    assertEquals(root.resolve("a_b_.._c"), BackupRepository.deviceFolder(root, "a/b/../c"));
    assertEquals(root.resolve("serial-..x"), BackupRepository.deviceFolder(root, "..x"));
    assertEquals(root.resolve("serial-"), BackupRepository.deviceFolder(root, ""));
  }

  @Test void setRecordRoundTrips() throws Exception {
    SetRecord r = new SetRecord("id-1", "SER\"1", "Acme", "Phone ü", "2024-01-01T00:00:00Z", 1234);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (OutputStream o = out) {
      r.write(o);
    }
    assertEquals(r, SetRecord.read(new java.io.ByteArrayInputStream(out.toByteArray())));
  }
}
