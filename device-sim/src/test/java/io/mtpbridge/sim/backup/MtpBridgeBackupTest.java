package io.mtpbridge.sim.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.engine.BackupEngine;
import io.mtpbridge.backup.engine.EngineConfig;
import io.mtpbridge.backup.mtp.BackupBridge;
import io.mtpbridge.device.MtpDevice;
import io.mtpbridge.sim.pc.PcFixture;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mtpbridge backup / history / verify / restore / prune against the real backup bridge on a
 * simulated device (a passive notes owner and an active in-process owner), through the virtual
 * USB port.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MtpBridgeBackupTest {
  private static final String NOTES = "org.example.notes", BLOB = "org.example.blob", SERIAL = "SIM-PC-BACKUP";
  /** Owners belong to the uid the tests run as: restored files get it, which needs no root. */
  private static final long MY_UID = new com.sun.security.auth.module.UnixSystem().getUid();

  @TempDir Path tmp;
  PcFixture pc;
  PcFixture.Sim device;
  BackupEngine engine;
  BlobOwner blob;
  Path notes;

  @BeforeEach void start() throws Exception {
    Path internal = Files.createDirectories(tmp.resolve("volumes/internal"));
    notes = Files.createDirectories(internal.resolve("notes"));
    Path regs = Files.createDirectories(tmp.resolve("registrations"));
    Files.writeString(regs.resolve("notes.xml"), "<backup_registration owner=\"" + NOTES + "\" uid=\"" + MY_UID + "\">\n"
        + "  <passive_backup delete_before_restore=\"true\">\n"
        + "    <volume name=\"internal\"><include_directory name=\"notes\"/></volume>\n"
        + "  </passive_backup>\n</backup_registration>\n");
    Files.writeString(regs.resolve("blob.xml"), "<backup_registration owner=\"" + BLOB + "\" uid=\"" + MY_UID + "\">\n"
        + "  <active_backup supports_incremental=\"false\" callback_timeout_ms=\"10000\">\n"
        + "    <volume name=\"internal\"/>\n  </active_backup>\n</backup_registration>\n");
    engine = BackupEngine.start(new EngineConfig(regs, Map.of("internal", internal), null, tmp.resolve("staging"), 1L << 30,
        Duration.ofSeconds(5), "sim-pc"));
    blob = new BlobOwner(BLOB, tmp.resolve("blob"));
    blob.connect(engine);
    pc = new PcFixture(tmp);
    BackupBridge bridge = new BackupBridge(engine);
    MtpDevice.Extension extension = bridge::install;
    device = pc.addDevice(SERIAL, List.of(extension));
  }

  @AfterEach void stop() {
    if (blob != null) blob.release();
    if (pc != null) pc.close();
    if (blob != null) blob.close();
    if (engine != null) engine.close();
  }

  private PcFixture.Result run(String... args) { return pc.run(args); }

  private PcFixture.Result ok(String... args) {
    PcFixture.Result r = pc.run(args);
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private PcFixture.Result fails(String... args) {
    PcFixture.Result r = pc.run(args);
    assertEquals(1, r.status(), r.toString());
    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    return r;
  }

  private String backup(String... extra) {
    List<String> args = new ArrayList<>(List.of("backup"));
    args.addAll(List.of(extra));
    PcFixture.Result r = ok(args.toArray(String[]::new));
    return r.out().lines().findFirst().orElseThrow().strip();
  }

  private Path repo() { return pc.backups.resolve(SERIAL); }

  /** Everything the owners hold: the notes folder file by file, and the blob. */
  private Map<String, String> state() throws Exception {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(notes)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) m.put(notes.relativize(p).toString(), Files.readString(p));
    }
    m.put("blob", java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(blob.content())));
    return m;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test void ownersAreListed() {
    PcFixture.Result r = ok("owners");
    assertTrue(r.out().contains(NOTES) && r.out().contains("passive") && r.out().contains(BLOB) && r.out().contains("active"), r.out());
    assertTrue(ok("--json", "owners").out().contains("\"incremental\" : false"));
  }

  @Test void aChainOfThreeRestoresAnyPointAndVerifyCatchesAFlippedByte() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "alpha 1");
    Files.writeString(notes.resolve("b.txt"), "bravo 1");
    Files.write(blob.file, random(300_000, 1));
    Map<String, String> s1 = state();
    String set1 = backup();

    Files.writeString(notes.resolve("a.txt"), "alpha 2, longer");
    Files.delete(notes.resolve("b.txt"));
    Files.writeString(notes.resolve("c.txt"), "charlie 2");
    Files.write(blob.file, random(200_000, 2));
    Map<String, String> s2 = state();
    String set2 = backup();

    Files.writeString(notes.resolve("a.txt"), "alpha 3");
    Files.write(blob.file, random(100_000, 3));
    Map<String, String> s3 = state();
    String set3 = backup();
    assertNotEquals(set1, set2);

    PcFixture.Result json = ok("--json", "history");
    String h = json.out();
    assertTrue(h.indexOf(set1) < h.indexOf(set2) && h.indexOf(set2) < h.lastIndexOf(set3), "oldest first: " + h);
    assertTrue(h.contains("\"parent\" : null"), h);
    assertTrue(h.contains("\"parent\" : \"" + set1 + "\""), h);
    assertTrue(h.contains("\"parent\" : \"" + set2 + "\""), h);
    assertEquals(1, count(h, "\"type\" : \"full\""), h);
    assertEquals(2, count(h, "\"type\" : \"incremental\""), h);
    assertTrue(h.contains("\"bytes\" : ") && h.contains("\"created\" : ") && h.contains("\"owners\" : ["), h);
    PcFixture.Result human = ok("history");
    assertEquals(3, human.out().lines().count(), human.out());

    // readable with plain tar tools: the archive is a tar with the manifest inside
    assertTrue(Files.size(repo().resolve(set1).resolve("backup.tar")) > 300_000);
    assertTrue(Files.exists(repo().resolve(set1).resolve("manifest.json")));

    ok("restore", set2);
    assertEquals(s2, state(), "the middle set's point in time");
    ok("restore", set1);
    assertEquals(s1, state());
    ok("restore");
    assertEquals(s3, state(), "default: the newest set");

    assertTrue(ok("verify").out().contains("verified"));
    flipOneByte(repo().resolve(set2).resolve("backup.tar"));
    PcFixture.Result bad = fails("verify");
    assertTrue(bad.err().contains(set2) && bad.err().contains("SHA-256 differs") && bad.err().contains("owners/"), bad.err());
    Files.write(blob.file, random(10, 99));
    Map<String, String> before = state();
    PcFixture.Result refused = fails("restore", set3);
    assertTrue(refused.err().contains(set2), refused.err());
    assertEquals(before, state(), "a corrupt chain restores nothing");
    assertEquals(0, ok("restore", set1).status(), "a set outside the corrupt chain still restores");
  }

  /**
   * An owner that fails at commit (its restoreComplete throws) is printed as failed with the
   * device's reason, the other owner as restored: the per-owner lines are the final result, not
   * the session status read before the commit (where every owner was still ready).
   */
  @Test void anOwnerFailingAtCommitIsPrintedAsFailed() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "alpha 1");
    Files.write(blob.file, random(50_000, 7));
    Map<String, String> s1 = state();
    String set = backup();
    Files.writeString(notes.resolve("a.txt"), "alpha 2");
    Files.write(blob.file, random(10, 8));
    byte[] blobNow = blob.content();
    blob.failAtCommit = true;

    PcFixture.Result r = fails("restore", set);
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("restored") && l.contains(NOTES)), r.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("FAILED") && l.contains(BLOB) && l.contains("no space left to apply the restore")),
        "the blob owner's line is its result after the commit: " + r);
    assertFalse(lines.stream().anyMatch(l -> l.startsWith("restored") && l.contains(BLOB)), r.toString());
    assertTrue(r.err().contains("1 owner(s) failed") && r.err().contains(BLOB), r.err());
    assertEquals(s1.get("a.txt"), state().get("a.txt"), "the passive owner was restored");
    assertArrayEquals(blobNow, blob.content(), "the failing owner kept its data");

    PcFixture.Result json = run("--json", "restore", set);
    assertEquals(1, json.status(), json.toString());
    assertTrue(Pattern.compile("\"id\" : \"" + Pattern.quote(BLOB) + "\",\\s*\"status\" : \"failed\"").matcher(json.out()).find(), json.out());
    assertTrue(Pattern.compile("\"id\" : \"" + Pattern.quote(NOTES) + "\",\\s*\"status\" : \"restored\"").matcher(json.out()).find(), json.out());

    blob.failAtCommit = false;
    ok("restore", set);
    assertEquals(s1, state(), "once the owner takes it, the restore goes through");
  }

  private static int count(String s, String what) {
    return (int) Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
  }

  /** Flips one byte inside the data of the archive's largest entry. */
  private static void flipOneByte(Path archive) throws Exception {
    try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, at);
      b.flip();
      byte v = b.get(0);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (v ^ 0x10)}), at);
    }
  }

  @Test void pruneKeepsWhatAKeptSetNeeds() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "1");
    String set1 = backup();
    Files.writeString(notes.resolve("a.txt"), "2");
    String set2 = backup();
    Files.writeString(notes.resolve("a.txt"), "3");
    String set3 = backup();
    PcFixture.Result none = ok("prune", "--keep", "1");
    assertTrue(none.out().contains("Nothing to remove"), "set3 needs set2 and set1: " + none.out());
    assertEquals(3, ok("-q", "history").out().lines().count());
    Files.writeString(notes.resolve("a.txt"), "4");
    String set4 = backup("--full");
    Files.writeString(notes.resolve("a.txt"), "5");
    String set5 = backup();
    PcFixture.Result pruned = ok("prune", "--keep", "1");
    assertTrue(pruned.out().contains(set1) && pruned.out().contains(set2) && pruned.out().contains(set3), pruned.out());
    assertEquals(List.of(set4, set5), ok("-q", "history").out().lines().toList());
    ok("restore");
    assertEquals("5", Files.readString(notes.resolve("a.txt")));
  }

  @Test void ctrlCMidBackupAbortsTheSessionAndLeavesNothing() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "kept");
    Files.write(blob.file, random(24 * 1024 * 1024, 5));
    String first = backup();
    int terminationsBefore = blob.terminations.get();
    pc.linkWrapper = PcFixture.after(4 * 1024 * 1024, () -> pc.cancellation.cancel());
    PcFixture.Result r = fails("backup");
    assertTrue(r.err().contains("interrupted") && r.err().contains("no set was kept"), r.err());
    assertTrue(blob.terminations.get() > terminationsBefore, "the owner was told to terminate");
    assertEquals(List.of(first), ok("-q", "history").out().lines().toList());
    try (Stream<Path> s = Files.list(repo())) {
      assertEquals(List.of(repo().resolve(first)), s.filter(p -> !p.getFileName().toString().equals(".lock")).toList(),
          "no hidden partial set either (.lock is the repository's lock file)");
    }
    pc.linkWrapper = java.util.function.UnaryOperator.identity();
    String next = backup();
    assertEquals(2, ok("-q", "history").out().lines().count());
    assertTrue(ok("--json", "history").out().contains("\"parent\" : \"" + first + "\""), "the next backup builds on the last complete set " + next);
  }

  /**
   * The newest set's archive damaged on disk: the next (incremental) backup cannot supply its
   * snapshots. Before, the one line was the tar reader's own ("Corrupted TAR archive."),
   * saying nothing of what to do.
   */
  @Test void aDamagedNewestSetSaysToVerifyOrBackUpFull() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "one");
    String first = backup();
    Path archive = repo().resolve(first).resolve("backup.tar");
    Files.write(archive, "not a tar at all ".repeat(100).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    PcFixture.Result r = fails("backup");
    assertTrue(r.err().contains(first) && r.err().contains("mtpbridge verify") && r.err().contains("--full"), r.err());
    assertEquals(List.of(first), ok("-q", "history").out().lines().toList(), "no set was added");
    backup("--full");
  }

  @Test void anUnplugMidBackupIsAClearErrorAndLeavesNoSet() throws Exception {
    Files.write(blob.file, random(24 * 1024 * 1024, 6));
    pc.linkWrapper = PcFixture.after(4 * 1024 * 1024, () -> device.port().unplug());
    PcFixture.Result r = fails("backup");
    assertTrue(r.err().contains("ReadBackupArchive") || r.err().contains("unplug") || r.err().contains("disconnect")
        || r.err().contains("not configured"), r.err());
    try (Stream<Path> s = Files.exists(repo()) ? Files.list(repo()) : Stream.empty()) {
      assertEquals(List.of(), s.filter(p -> !p.getFileName().toString().equals(".lock")).toList(), "nothing in the repository");
    }
    pc.linkWrapper = java.util.function.UnaryOperator.identity();
    device.port().plugInAndConfigure();
    backup();
  }

  @Test void anotherDevicesSetNeedsFromDeviceAndABrokenChainIsRefused() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "old phone");
    String set1 = backup();
    Files.writeString(notes.resolve("a.txt"), "old phone 2");
    String set2 = backup();
    // the sets move to another serial's folder: they are now "the old phone's" backups
    Path other = pc.backups.resolve("OLD-PHONE");
    Files.move(repo(), other);
    for (String id : List.of(set1, set2)) {
      Path rec = other.resolve(id).resolve("set.json");
      Files.writeString(rec, Files.readString(rec).replace(SERIAL, "OLD-PHONE"));
    }
    Files.writeString(notes.resolve("a.txt"), "new phone");
    PcFixture.Result refused = fails("restore", "--repo", other.toString());
    assertTrue(refused.err().contains("made on the device with serial OLD-PHONE") && refused.err().contains("--from-device OLD-PHONE"),
        refused.err());
    assertEquals("new phone", Files.readString(notes.resolve("a.txt")));
    ok("restore", "--from-device", "OLD-PHONE");
    assertEquals("old phone 2", Files.readString(notes.resolve("a.txt")));

    BackupRepositoryFolders.deleteTree(other.resolve(set1));
    PcFixture.Result broken = fails("restore", "--from-device", "OLD-PHONE", set2);
    assertTrue(broken.err().contains("needs set " + set1) && broken.err().contains("broken"), broken.err());
    PcFixture.Result verify = fails("verify", "--repo", other.toString());
    assertTrue(verify.err().contains("needs set " + set1), verify.err());
  }

  @Test void backupJsonAndQuiet() throws Exception {
    Files.writeString(notes.resolve("a.txt"), "x");
    PcFixture.Result q = ok("-q", "backup", "--full");
    Matcher id = Pattern.compile("^[0-9a-f-]{36}$").matcher(q.out().strip());
    assertTrue(id.matches(), q.out());
    PcFixture.Result j = ok("--json", "backup", "--owner", NOTES);
    assertTrue(j.out().contains("\"parent\" : \"" + q.out().strip() + "\"") && j.out().contains("\"type\" : \"incremental\""), j.out());
    assertTrue(j.out().contains("\"mode\" : \"backup-partial\""), j.out());
  }

  /** Small helpers on the repository folder. */
  static final class BackupRepositoryFolders {
    static void deleteTree(Path p) throws Exception {
      try (Stream<Path> s = Files.walk(p)) {
        for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
      }
    }
  }

  @Test void aBlobSurvivesARoundTripByteForByte() throws Exception {
    byte[] data = random(5 * 1024 * 1024 + 3, 11);
    Files.write(blob.file, data);
    backup();
    Files.write(blob.file, new byte[] {1, 2, 3});
    ok("restore");
    assertArrayEquals(data, blob.content());
  }
}
