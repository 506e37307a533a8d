package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import io.mtpbridge.backup.client.wire.SocketStreams;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerInfo;
import io.mtpbridge.backup.protocol.OwnerStatus;
import io.mtpbridge.backup.protocol.SessionState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners that hang, crash, throw, make no progress, send garbage or never get ready are marked
 * failed with their error and get terminate; the session carries on for the others.
 */
class FailingOwnersTest {
  @TempDir Path tmp;
  EngineFixture fx;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/n.txt"), "note");
  }

  @AfterEach void tearDown() { fx.close(); }

  private ScriptedOwner inProcess(String id, ScriptedOwner.Fault fault) {
    ScriptedOwner o = new ScriptedOwner(fault, 200_000);
    o.client = ActiveBackupClient.connect(fx.engine, id, o, o::onMode);
    return o;
  }

  private ScriptedOwner overSocket(String id, ScriptedOwner.Fault fault) throws IOException {
    ScriptedOwner o = new ScriptedOwner(fault, 200_000);
    o.client = ActiveBackupClient.connect(fx.socket, id, o, o::onMode);
    return o;
  }

  private Map<String, Manifest.Owner> backupAndRead() throws Exception {
    byte[] tar = fx.backup(false, List.of(), null);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      Map<String, Manifest.Owner> m = new HashMap<>();
      for (Manifest.Owner o : a.manifest().owners()) m.put(o.id(), o);
      return m;
    }
  }

  @Test void eachMisbehaviourFailsOnlyThatOwner() throws Exception {
    fx.registerActive("t.good", false, 2000);
    fx.registerActive("t.hang", false, 300);
    fx.registerActive("t.throw", false, 2000);
    fx.registerActive("t.noprogress", false, 2000);
    fx.registerActive("t.crash", false, 2000);
    fx.start(Duration.ofSeconds(3));
    ScriptedOwner good = overSocket("t.good", ScriptedOwner.Fault.NONE);
    ScriptedOwner hang = inProcess("t.hang", ScriptedOwner.Fault.HANG);
    ScriptedOwner thrower = overSocket("t.throw", ScriptedOwner.Fault.THROW);
    ScriptedOwner stuck = inProcess("t.noprogress", ScriptedOwner.Fault.NO_PROGRESS);
    ScriptedOwner crash = overSocket("t.crash", ScriptedOwner.Fault.CRASH);

    Map<String, Manifest.Owner> m = backupAndRead();

    assertEquals("ok", m.get("t.good").status());
    assertEquals("ok", m.get("org.example.notes").status());
    assertFailed(m, "t.hang", "did not return within 300 ms");
    assertFailed(m, "t.throw", "database is locked");
    assertFailed(m, "t.noprogress", "empty sections");
    assertTrue(!m.get("t.crash").ok() && m.get("t.crash").error() != null, "crash recorded: " + m.get("t.crash"));
    assertTrue(m.get("t.crash").volumes().isEmpty(), "nothing of a crashed owner reaches the archive");
    BackupRestoreScenariosTest.waitFor(() -> hang.terminates.get() > 0 && thrower.terminates.get() > 0 && stuck.terminates.get() > 0);
    assertEquals(0, good.terminates.get());
    OwnerInfo crashed = fx.engine.owners().stream().filter(o -> o.id().equals("t.crash")).findFirst().orElseThrow();
    assertEquals(OwnerStatus.NOT_CONNECTED, crashed.status());
  }

  private static void assertFailed(Map<String, Manifest.Owner> m, String id, String errorPart) {
    Manifest.Owner o = m.get(id);
    assertEquals("failed", o.status(), id);
    assertTrue(o.error() != null && o.error().contains(errorPart), id + " error: " + o.error());
    assertTrue(o.volumes().isEmpty(), id + ": no partial data in the archive");
  }

  @Test void readinessTimeoutAndAbsentOwner() throws Exception {
    fx.registerActive("t.lazy", false, 2000);
    fx.registerActive("t.absent", false, 2000);
    fx.start(Duration.ofMillis(400));
    inProcess("t.lazy", ScriptedOwner.Fault.NEVER_READY);
    Map<String, Manifest.Owner> m = backupAndRead();
    assertEquals("not-ready", m.get("t.lazy").status());
    assertTrue(m.get("t.lazy").error().contains("did not confirm readiness"));
    assertEquals("not-connected", m.get("t.absent").status());
    assertEquals("ok", m.get("org.example.notes").status());
  }

  @Test void ownerSendingGarbageIsCutOff() throws Exception {
    fx.registerActive("t.garbage", false, 2000);
    fx.start(Duration.ofSeconds(3));
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(fx.socket));
    InputStream in = SocketStreams.in(ch);
    OutputStream out = SocketStreams.out(ch);
    FrameCodec.write(out, new Frame.Hello(FrameCodec.VERSION, "t.garbage"));
    assertTrue(FrameCodec.read(in) instanceof Frame.Welcome);
    Thread peer = new Thread(() -> {
      try {
        Frame f;
        while ((f = FrameCodec.read(in)) != null) {
          if (f instanceof Frame.Mode mode && mode.affectsMe()) FrameCodec.write(out, new Frame.Ready(0));
          if (f instanceof Frame.Call) {
            out.write(new byte[] {0, 0, 0, 3, 99, 1, 2}); // a frame of unknown type 99
            out.flush();
          }
        }
      } catch (IOException expected) {
        // the engine hangs up on us
      }
    });
    peer.start();
    Map<String, Manifest.Owner> m = backupAndRead();
    assertTrue(!m.get("t.garbage").ok(), m.get("t.garbage").toString());
    assertTrue(m.get("t.garbage").error().contains("unknown frame type 99"), m.get("t.garbage").error());
    assertEquals("ok", m.get("org.example.notes").status());
    peer.join(5000);
    ch.close();
  }

  @Test void socketClientWithWrongUidIsRefused() throws Exception {
    // The test runs as some uid (root in CI); the owner is registered for another one.
    int me = (Integer) Files.getAttribute(tmp, "unix:uid");
    fx.registerActive("t.other", me == 4242 ? 4243 : 4242, false, 2000);
    fx.start(Duration.ofSeconds(1));
    ScriptedOwner o = new ScriptedOwner(ScriptedOwner.Fault.NONE, 10);
    IOException e = assertThrows(IOException.class, () -> ActiveBackupClient.connect(fx.socket, "t.other", o, null));
    assertTrue(e.getMessage().contains("registration names uid"), e.getMessage());
    OwnerInfo v = fx.engine.owners().stream().filter(x -> x.id().equals("t.other")).findFirst().orElseThrow();
    assertEquals(OwnerStatus.NOT_CONNECTED, v.status());
    IOException unknown = assertThrows(IOException.class, () -> ActiveBackupClient.connect(fx.socket, "t.nobody", o, null));
    assertTrue(unknown.getMessage().contains("no active owner"), unknown.getMessage());
  }

  @Test void restoreThatDoesNotReproduceTheDataIsCaughtByChecksum() throws Exception {
    fx.registerActive("t.fine", false, 2000);
    fx.registerActive("t.lossy", false, 2000);
    fx.start(Duration.ofSeconds(3));
    inProcess("t.fine", ScriptedOwner.Fault.NONE);
    inProcess("t.lossy", ScriptedOwner.Fault.LOSES_DATA);
    byte[] tar = fx.backup(false, List.of(), null);
    BackupSession.RestoreReport r = fx.restore(false, List.of(), tar);
    assertEquals("restored", r.outcomes().get("t.fine").toString());
    assertTrue(r.outcomes().get("t.lossy").toString().contains("checksum"), r.outcomes().toString());
  }

  @Test void cutShortTransferAbortsAndTerminatesOwners() throws Exception {
    fx.registerActive("t.a", false, 2000);
    fx.registerActive("t.b", false, 2000);
    fx.start(Duration.ofSeconds(3));
    ScriptedOwner a = inProcess("t.a", ScriptedOwner.Fault.NONE);
    ScriptedOwner b = overSocket("t.b", ScriptedOwner.Fault.NONE);
    BackupSession s = fx.engine.open(true, false, false, List.of(), List.of());
    OutputStream dying = new OutputStream() {
      long n;
      @Override public void write(int x) throws IOException { write(new byte[] {(byte) x}, 0, 1); }
      @Override public void write(byte[] buf, int off, int len) throws IOException {
        n += len;
        if (n > 250_000) throw new IOException("USB cable pulled");
      }
    };
    assertThrows(IOException.class, () -> s.readArchive(dying));
    assertEquals(SessionState.ABORTED, s.state());
    BackupRestoreScenariosTest.waitFor(() -> a.terminates.get() == 1 && b.terminates.get() == 1);
    assertEquals(io.mtpbridge.backup.client.BurMode.NORMAL_MODE, fx.engine.mode());
    EngineException again = assertThrows(EngineException.class, () -> s.readArchive(OutputStream.nullOutputStream()));
    assertEquals(EngineError.SESSION_ABORTED, again.error());
    assertEquals(0, fx.engine.staging().used(), "spools freed");
  }
}
