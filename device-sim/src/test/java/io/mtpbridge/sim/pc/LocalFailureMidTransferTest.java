package io.mtpbridge.sim.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.link.InitiatorLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failure on the PC's side in the middle of a data phase (the disk full, a local file that
 * cannot be read on): the transaction is cancelled, so the device is not left half-way through it
 * and the same session goes on. Before, the initiator just stopped reading (or sending): its next
 * command met the rest of the data phase, and the device had to reset the link to recover.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalFailureMidTransferTest {
  @TempDir Path tmp;

  @Test void aSinkFailingMidGetCancelsAndTheSessionGoesOn() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024];
    new Random(5).nextBytes(data);
    try (PcFixture pc = new PcFixture(tmp)) {
      PcFixture.Sim sim = pc.addDevice("SIM-LOCAL-1", List.of());
      Files.write(sim.storage.resolve("big.bin"), data);
      try (InitiatorLink link = pc.claim(sim)) {
        MtpInitiator host = new MtpInitiator(link, 5000, 64 * 1024);
        host.openSession(1);
        int storage = host.getStorageIds()[0];
        int handle = host.getObjectHandles(storage, 0, MtpInitiator.ROOT_PARENT)[0];
        IOException full = assertThrows(IOException.class, () -> host.getObject(handle, new FullAfter(200_000)));
        assertEquals("No space left on device", full.getMessage());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertEquals(data.length, host.getObject(handle, Channels.newChannel(again)), "the same session serves the next GetObject");
        assertArrayEquals(data, again.toByteArray());
        assertEquals(1, host.sessionId());
        host.closeSession();
      }
    }
  }

  @Test void aSourceFailingMidSendCancelsAndTheSessionGoesOn() throws Exception {
    try (PcFixture pc = new PcFixture(tmp)) {
      PcFixture.Sim sim = pc.addDevice("SIM-LOCAL-2", List.of());
      try (InitiatorLink link = pc.claim(sim)) {
        MtpInitiator host = new MtpInitiator(link, 5000, 64 * 1024);
        host.openSession(1);
        int storage = host.getStorageIds()[0];
        io.mtpbridge.core.dataset.ObjectInfo info = io.mtpbridge.core.dataset.ObjectInfo.builder().storageId(storage)
            .objectFormat(0x3000).size(1_000_000).parentObject(0).filename("half.bin").build();
        int[] placed = host.sendObjectInfo(storage, MtpInitiator.ROOT_PARENT, info);
        IOException broken = assertThrows(IOException.class, () -> host.sendObject(new BrokenAfter(300_000), 1_000_000));
        assertEquals("Input/output error", broken.getMessage());

        assertEquals(0, host.getObjectHandles(storage, 0, MtpInitiator.ROOT_PARENT).length, "no half object kept");
        assertTrue(placed[2] != 0);
        host.closeSession();
      }
    }
  }

  /** A file system that fills up after {@code room} bytes. */
  private static final class FullAfter implements WritableByteChannel {
    private long room;

    FullAfter(long room) { this.room = room; }

    @Override public int write(ByteBuffer src) throws IOException {
      if (src.remaining() > room) throw new IOException("No space left on device");
      room -= src.remaining();
      int n = src.remaining();
      src.position(src.limit());
      return n;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }

  /** A local file whose disk fails after {@code good} bytes. */
  private static final class BrokenAfter implements ReadableByteChannel {
    private long good;

    BrokenAfter(long good) { this.good = good; }

    @Override public int read(ByteBuffer dst) throws IOException {
      if (good <= 0) throw new IOException("Input/output error");
      int n = (int) Math.min(dst.remaining(), good);
      dst.position(dst.position() + n);
      good -= n;
      return n;
    }

    @Override public boolean isOpen() { return true; }

    @Override public void close() {}
  }
}
