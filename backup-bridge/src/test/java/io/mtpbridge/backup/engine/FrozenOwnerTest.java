package io.mtpbridge.backup.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.backup.archive.ArchiveReader;
import io.mtpbridge.backup.archive.Staging;
import io.mtpbridge.backup.archive.VerifiedArchive;
import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.wire.Frame;
import io.mtpbridge.backup.client.wire.FrameCodec;
import io.mtpbridge.backup.client.wire.SocketStreams;
import io.mtpbridge.backup.format.Manifest;
import io.mtpbridge.backup.protocol.OwnerStatus;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners that passed the uid check and then stop reading their socket (frozen, SIGSTOPped), and
 * floods of connections that never say hello: neither may block the engine, the caller's thread
 * (the MTP responder's, for a mode broadcast) or the accept loop.
 */
class FrozenOwnerTest {
  @TempDir Path tmp;
  EngineFixture fx;

  @BeforeEach void setUp() throws Exception {
    fx = new EngineFixture(tmp);
    fx.registerPassive("org.example.notes", "notes");
    Files.createDirectories(fx.internal.resolve("notes"));
    Files.writeString(fx.internal.resolve("notes/n.txt"), "note");
  }

  @AfterEach void tearDown() { fx.close(); }

  private OwnerStatus status(String id) {
    return fx.engine.owners().stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow().status();
  }

  @Test void ownerThatStopsReadingBlocksNoModeBroadcast() throws Exception {
    fx.registerActive("t.frozen", false, 500);
    fx.start(Duration.ofMillis(200));
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(fx.socket));
    FrameCodec.write(SocketStreams.out(ch), new Frame.Hello(FrameCodec.VERSION, "t.frozen"));
    assertTrue(FrameCodec.read(SocketStreams.in(ch)) instanceof Frame.Welcome);
    // The server writes the welcome before it attaches the owner (so the attach's mode frame
    // follows the welcome): wait for the attach, or the loop below ends before it starts.
    BackupRestoreScenariosTest.waitFor(() -> status("t.frozen") != OwnerStatus.NOT_CONNECTED);
    // From here on the owner reads nothing. Every session open and close broadcasts the mode;
    // once the socket's buffer is full a blocking write would hang the caller for good. How many
    // frames fill that buffer depends on the kernel (Linux charges each small write ~1 KiB, other
    // kernels and sandboxes count payload bytes up to megabytes), so the loop runs until the
    // owner is dropped, bounded by time, not by a count that fits one kernel.
    long[] rounds = {0};
    assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (status("t.frozen") != OwnerStatus.NOT_CONNECTED && System.nanoTime() < end) {
        fx.engine.open(true, false, false, List.of(), List.of()).close(false);
        rounds[0]++;
      }
    });
    assertEquals(OwnerStatus.NOT_CONNECTED, status("t.frozen"),
        "after " + rounds[0] + " sessions (" + 2 * rounds[0] + " mode frames) the frozen owner is still connected");
    byte[] tar = fx.backup(false, List.of(), null);
    try (VerifiedArchive a = ArchiveReader.read(EngineFixture.in(tar), new Staging(tmp.resolve("check"), 1 << 30))) {
      for (Manifest.Owner o : a.manifest().owners()) {
        if (o.id().equals("org.example.notes")) assertEquals("ok", o.status());
      }
    }
    ch.close();
  }

  @Test void expiredWatchdogClosesTheConnection() throws Exception {
    fx.registerActive("t.hang", false, 300);
    fx.start(Duration.ofSeconds(3));
    ScriptedOwner o = new ScriptedOwner(ScriptedOwner.Fault.HANG, 200_000);
    ActiveBackupClient[] holder = {ActiveBackupClient.connect(fx.socket, "t.hang", o, o::onMode)};
    o.client = holder[0];
    fx.backup(false, List.of(), null);
    BackupRestoreScenariosTest.waitFor(() -> !holder[0].isConnected());
    assertEquals(OwnerStatus.NOT_CONNECTED, status("t.hang"));
  }

  @Test void silentConnectionsCannotStopTheAcceptLoop() throws Exception {
    fx.registerActive("t.good", false, 2000);
    fx.start(Duration.ofSeconds(3));
    List<SocketChannel> flood = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(fx.socket));
        flood.add(c);
      }
      Thread.sleep(300);
      long handshakeThreads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("backup-socket")).count();
      assertTrue(handshakeThreads <= 2, handshakeThreads + " threads serve connections that never said hello");
      ScriptedOwner good = new ScriptedOwner(ScriptedOwner.Fault.NONE, 10);
      assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
        good.client = ActiveBackupClient.connect(fx.socket, "t.good", good, null);
      });
      BackupRestoreScenariosTest.waitFor(() -> status("t.good") == OwnerStatus.READY);
      good.client.close();
    } finally {
      for (SocketChannel c : flood) c.close();
    }
  }
}
