package io.mtpbridge.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.format.EntryName;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.host.repo.BackupRepository;
import io.mtpbridge.host.repo.SetRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as shipped (target/mtpbridge.jar, after {@code package}) in its own JVM,
 * reading a tar through commons-compress: the unit tests run on Maven's class path, where
 * dependency versions can differ from what the shade plugin packed. mtpbridge.jar once carried
 * commons-lang3 3.8.1 (usb4java's, nearest wins) where commons-compress 1.28 needs 3.18, and every
 * backup failed in the VM with NoClassDefFoundError while no in-JVM test saw it. Run by
 * surefire's {@code packaged-jar} execution in the integration-test phase (host-tools/pom.xml).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PackagedJarIT {
  private static final String OWNER = "org.example.notes";

  @TempDir Path tmp;

  private static Path jar() {
    String p = System.getProperty("mtpbridge.jar");
    assertTrue(p != null, "the mtpbridge.jar system property is set by host-tools/pom.xml's packaged-jar execution");
    Path jar = Path.of(p);
    assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
    return jar;
  }

  /** A set of one passive owner with two files, written as a backup leaves it (tar + manifest.json + set.json). */
  private Path repositoryWithOneSet() throws Exception {
    Path repo = tmp.resolve("repo");
    BackupRepository r = new BackupRepository(repo);
    BackupRepository.IncompleteSet s = r.begin();
    List<Manifest.Stream> streams = new ArrayList<>();
    String id = "0b5e7a1c-0000-4000-8000-000000000001";
    String created = "2026-01-02T03:04:05Z";
    Manifest manifest;
    try (OutputStream out = Files.newOutputStream(s.archive());
         TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (String[] f : new String[][] {{"notes/a.txt", "alpha\n"}, {"notes/deeper/b.txt", "bravo, with a longer line\n".repeat(100)}}) {
        byte[] data = f[1].getBytes(StandardCharsets.UTF_8);
        String name = EntryName.file(OWNER, "internal", f[0]).toName();
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        streams.add(new Manifest.Stream(name, EntryName.FILE, data.length, sha, 1_700_000_000_000L));
      }
      manifest = new Manifest(Manifest.FORMAT, id, null, "Test device", created, "backup-full", "base",
          List.of(new Manifest.Owner(OWNER, "passive", "ok", "", List.of(new Manifest.Volume("internal", streams)))));
      byte[] json = manifest.toJson().getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry e = new TarArchiveEntry(Manifest.FILE_NAME, true);
      e.setSize(json.length);
      tar.putArchiveEntry(e);
      tar.write(json);
      tar.closeArchiveEntry();
    }
    s.commit(manifest, new SetRecord(id, "SER-IT", "Acme", "Phone", created, Files.size(s.archive())));
    return repo;
  }

  private record Run(int status, String output) {}

  private Run mtpbridge(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m", "-jar", jar().toString()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve("out-" + System.nanoTime() + ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    // its own, empty data home: nothing of the person running the build is read
    pb.environment().put("XDG_DATA_HOME", tmp.resolve("data").toString());
    Process p = pb.start();
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "mtpbridge " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), Files.readString(out));
  }

  @Test void thePackagedJarVerifiesARepositoryAndCatchesAFlippedByte() throws Exception {
    Path repo = repositoryWithOneSet();
    Run ok = mtpbridge("verify", "--repo", repo.toString());
    assertEquals(0, ok.status(), "mtpbridge.jar verify of a good set: " + ok.output());
    assertTrue(ok.output().contains("verified"), ok.output());

    Path archive;
    try (var sets = Files.list(repo)) {
      archive = sets.filter(Files::isDirectory).findFirst().orElseThrow().resolve("backup.tar");
    }
    try (FileChannel ch = FileChannel.open(archive, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // the first entry's data starts after its 512-byte header: flip its first byte
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, 512);
      b.put(0, (byte) (b.get(0) ^ 0x01)).rewind();
      ch.write(b, 512);
    }
    Run bad = mtpbridge("verify", "--repo", repo.toString());
    assertEquals(1, bad.status(), "a flipped byte fails verify: " + bad.output());
    assertTrue(bad.output().contains("SHA-256 differs") && bad.output().contains("notes/a.txt"), bad.output());
    assertEquals(1, bad.output().lines().count(), "one line: " + bad.output());
  }
}
