package io.mtpbridge.sim.e2e;

import static io.mtpbridge.sim.e2e.Objects.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.host.link.UsbTransferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cable is pulled at every packet boundary of SendObject and GetObject on a small object
 * (1500 bytes: a 1512-byte data container, three packets at high speed). Afterwards no partial
 * object exists and the next session works.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DisconnectTest {
  private static final int ROOT = MtpInitiator.ROOT_PARENT;
  private static final int SIZE = 1500;
  @TempDir Path tmp;

  @Test
  void unplugAtEveryPacketBoundaryOfSendObject() throws Exception {
    byte[] data = random(SIZE, 11);
    byte[] container = dataContainer(OperationCode.SEND_OBJECT.value(), data);
    try (SimFixture f = new SimFixture(tmp)) {
      int packets = (container.length + 511) / 512;
      for (int k = 0; k <= packets; k++) {
        MtpInitiator host = f.host;
        int storage = host.getStorageIds()[0];
        host.sendObjectInfo(storage, ROOT, fileInfo(storage, ROOT, "d.bin", SIZE));
        int tid = host.begin(OperationCode.SEND_OBJECT.value()).id();
        patchTid(container, tid);
        for (int p = 0; p < k; p++) {
          int off = p * 512;
          f.port.bulkOut(ByteBuffer.wrap(container, off, Math.min(512, container.length - off)), false, 2000);
        }
        f.port.unplug();
        MtpInitiator next = f.connect();
        List<String> files = f.filesOnDevice();
        if (k < packets) {
          assertEquals(List.of(), files, "unplugged after " + k + " packets: no partial or temporary file");
        } else if (!files.isEmpty()) {
          assertEquals(List.of("d.bin"), files);
          assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("d.bin")), "complete after all packets");
        }
        int h = upload(next, storage, ROOT, "next-" + k, data);
        assertArrayEquals(data, download(next, h), "the next session works after " + k + " packets");
        next.deleteObject(h);
        Files.deleteIfExists(f.rw.resolve("d.bin"));
      }
    }
  }

  @Test
  void unplugAtEveryPacketBoundaryOfGetObject() throws Exception {
    byte[] data = random(SIZE, 12);
    try (SimFixture f = new SimFixture(tmp)) {
      int storage = f.host.getStorageIds()[0];
      upload(f.host, storage, ROOT, "g.bin", data);
      int packets = (SIZE + 12 + 511) / 512 + 1; // data packets, then the response
      for (int k = 0; k <= packets; k++) {
        MtpInitiator host = f.host;
        int h = find(host, storage, ROOT, "g.bin");
        host.begin(OperationCode.GET_OBJECT.value(), h);
        for (int p = 0; p < k; p++) {
          try {
            f.port.bulkIn(ByteBuffer.allocate(512), 2000);
          } catch (UsbTransferException e) {
            fail("packet " + p + " of GetObject did not arrive: " + e.getMessage());
          }
        }
        f.port.unplug();
        MtpInitiator next = f.connect();
        assertEquals(List.of("g.bin"), f.filesOnDevice());
        assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("g.bin")), "the object is untouched after " + k + " packets");
        assertArrayEquals(data, download(next, find(next, storage, ROOT, "g.bin")), "the next session works after " + k + " packets");
      }
    }
  }

  private static byte[] dataContainer(int code, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(12 + payload.length).putShort((short) 2).putShort((short) code).putInt(0).put(payload);
    return b.array();
  }

  private static void patchTid(byte[] container, int tid) {
    ByteBuffer.wrap(container).order(ByteOrder.LITTLE_ENDIAN).putInt(8, tid);
  }
}
