package io.mtpbridge.sim.e2e;

import static io.mtpbridge.sim.e2e.Objects.*;
import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.usb.function.UsbSpeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Objects whose containers end on, just before and just after a packet boundary, at every bus speed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpeedsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(UsbSpeed.class)
  void boundarySizesRoundTripAtEverySpeed(UsbSpeed speed) throws Exception {
    try (SimFixture f = new SimFixture(tmp, speed)) {
      assertEquals(speed.bulkMaxPacket(), f.port.bulkMaxPacket());
      MtpInitiator host = f.host;
      int storage = host.getStorageIds()[0];
      int mp = speed.bulkMaxPacket();
      for (int container : new int[] {mp - 1, mp, mp + 1, 2 * mp, 3 * mp + 5}) {
        int n = container - 12; // the data container carries a 12-byte header
        byte[] data = random(n, container);
        int h = upload(host, storage, MtpInitiator.ROOT_PARENT, "c" + container, data);
        assertArrayEquals(data, Files.readAllBytes(f.rw.resolve("c" + container)), speed + " upload " + n);
        assertArrayEquals(data, download(host, h), speed + " download " + n);
      }
    }
  }
}
