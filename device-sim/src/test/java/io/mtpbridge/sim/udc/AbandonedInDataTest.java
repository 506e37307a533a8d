package io.mtpbridge.sim.udc;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.host.link.UsbTransferException;
import io.mtpbridge.usb.function.UsbSpeed;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bulk OUT from the host while bulk IN data of a data phase still waits: the reader of that data
 * is gone, so the controller resets the function (disable, enable) and the data is dropped. A
 * short transfer left waiting (a response sent before the host finished its data phase) is kept.
 */
class AbandonedInDataTest {
  private VirtualUdc udc;
  private RecordingListener listener;
  private VirtualHostPort host;

  @BeforeEach
  void plugIn() throws Exception {
    udc = new VirtualUdc(UsbDeviceIdentity.defaults("MTP Bridge", "Simulated device", "SIM0002"), UsbSpeed.HIGH);
    listener = new RecordingListener();
    udc.start(listener);
    host = udc.hostPort();
    host.plugInAndConfigure();
    listener.calls.clear();
  }

  @Test
  void outWhileADataPhaseWaitsResetsTheFunctionAndDropsIt() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(8192)); // a data phase nobody reads any more
    host.bulkOut(ByteBuffer.wrap(new byte[16]), false, 1000); // the next program's command
    assertEquals(List.of("disable", "enable HIGH 512"), listener.calls);
    assertThrows(UsbTransferException.class, () -> host.bulkIn(ByteBuffer.allocate(512), 200), "nothing stale left to read");
    ByteBuffer cmd = ByteBuffer.allocate(512);
    assertEquals(16, udc.bulkOut().read(cmd), "the new command itself arrives");
  }

  @Test
  void aWaitingShortResponseIsNotADataPhase() throws Exception {
    udc.bulkIn().write(ByteBuffer.allocate(12));
    host.bulkOut(ByteBuffer.wrap(new byte[1024]), false, 1000);
    assertEquals(List.of(), listener.calls);
    assertEquals(12, host.bulkIn(ByteBuffer.allocate(512), 1000));
  }

  @Test
  void outWithNothingWaitingChangesNothing() throws Exception {
    host.bulkOut(ByteBuffer.wrap(new byte[16]), false, 1000);
    assertEquals(List.of(), listener.calls);
  }
}
