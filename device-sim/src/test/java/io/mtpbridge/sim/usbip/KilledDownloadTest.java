package io.mtpbridge.sim.usbip;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.device.MtpdOptions;
import io.mtpbridge.device.StorageSpec;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.SimulatedDevice;
import io.mtpbridge.sim.udc.UsbDeviceIdentity;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vm-e2e sequence "kill mtp-getfile mid-download, then mtp-files" over the USB/IP server, as
 * the guest kernel performs it: the dying process's bulk IN URB is unlinked while the device
 * still has data of the download on its way, then a new program on the same attached device
 * sends OpenSession and reads 512 bytes for the response (libmtp's first read). That read must
 * be the response container, never bytes of the abandoned download. Killed between two reads,
 * no URB is unlinked; the vm-e2e run of 09:06 UTC was that case.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KilledDownloadTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  /** libmtp reads a bulk transfer in blocks of 0x3e00 bytes. */
  private static final int LIBMTP_BLOCK = 0x3e00;
  @TempDir Path tmp;
  private ExportedSim exported;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    exported = new ExportedSim(tmp, "SIM-KILL-1");
    address = exported.address;
  }

  @AfterEach
  void stop() throws IOException {
    exported.close();
  }

  @Test
  void killedWithAReadInFlightThatIsUnlinked() throws Exception {
    killDownloadThenOpenANewSession(true);
  }

  @Test
  void killedBetweenTwoReadsSoNothingIsUnlinked() throws Exception {
    killDownloadThenOpenANewSession(false);
  }

  private void killDownloadThenOpenANewSession(boolean readInFlight) throws Exception {
    byte[] data = new byte[24 * 1024 * 1024];
    new Random(7).nextBytes(data);
    try (UsbIpClient link = UsbIpClient.attach(address, "1-1", true)) {
      MtpInitiator first = new MtpInitiator(link, 5000, 64 * 1024);
      first.openSession(1);
      int storage = first.getStorageIds()[0];
      int[] r = first.sendObjectInfo(storage, ROOT, ObjectInfo.builder().storageId(storage).objectFormat(0x3000)
          .parentObject(ROOT).size(data.length).filename("big.dat").build());
      first.sendObject(Channels.newChannel(new java.io.ByteArrayInputStream(data)), data.length);
      int handle = r[2];

      // mtp-getfile: GetObject, then libmtp's reads of the data phase, a few MiB in.
      first.begin(OperationCode.GET_OBJECT.value(), handle);
      long received = 0;
      while (received < 2 * 1024 * 1024) {
        UsbIpClient.Ret ret = link.submit(1, true, 0, LIBMTP_BLOCK, null, null).result().get(5, TimeUnit.SECONDS);
        assertEquals(0, ret.status());
        received += ret.actual();
      }
      if (readInFlight) {
        // The process is killed with its next read in flight: usbfs unlinks that URB.
        UsbIpClient.Pending dying = link.submit(1, true, 0, LIBMTP_BLOCK, null, null);
        int unlinkStatus = link.unlink(dying.seqnum()).get(5, TimeUnit.SECONDS);
        assertTrue(unlinkStatus == 0 || unlinkStatus == -104, "RET_UNLINK status " + unlinkStatus);
      } // else it died while writing the last block to disk: the device hears nothing at all

      // mtp-files: a new program on the same device. OpenSession (transaction 0), then one 512-byte read.
      ByteBuffer reply = rawTransaction(link, OperationCode.OPEN_SESSION.value(), 0, 1);
      assertEquals(3, reply.getShort(4), "container type Response (not stale bytes of the killed download)");
      assertEquals(reply.remaining(), reply.getInt(0), "the read holds exactly one response container");
      int code = reply.getShort(6) & 0xFFFF;
      assertTrue(code == 0x2001 || code == 0x201E, String.format("OpenSession answered 0x%04X", code));
      assertEquals(0, reply.getInt(8), "transaction id of OpenSession");
      ByteBuffer closed = rawTransaction(link, OperationCode.CLOSE_SESSION.value(), 1);
      assertEquals(3, closed.getShort(4));
      assertEquals(0x2001, closed.getShort(6) & 0xFFFF, "CloseSession");

      // The new program works normally: lists and downloads the whole file, byte for byte.
      MtpInitiator next = new MtpInitiator(link, 5000, 64 * 1024);
      next.openSession(2);
      int[] handles = next.getObjectHandles(storage, 0, ROOT);
      assertArrayEquals(new int[] {handle}, handles);
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
      next.getObject(handle, Channels.newChannel(out));
      assertArrayEquals(data, out.toByteArray());
      next.closeSession();
      assertNull(link.failure());
    }
  }

  /** One command container, then one 512-byte read for its response (as libmtp does). */
  private static ByteBuffer rawTransaction(UsbIpClient link, int code, int tid, int... params) throws IOException {
    ByteBuffer cmd = ByteBuffer.allocate(12 + 4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
    cmd.putInt(cmd.capacity()).putShort((short) 1).putShort((short) code).putInt(tid);
    for (int p : params) cmd.putInt(p);
    link.bulkOut(cmd.flip(), false, 5000);
    ByteBuffer reply = ByteBuffer.allocate(512);
    link.bulkIn(reply, 5000);
    return reply.flip().order(ByteOrder.LITTLE_ENDIAN);
  }
}
