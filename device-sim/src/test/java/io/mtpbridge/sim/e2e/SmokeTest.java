package io.mtpbridge.sim.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.core.dataset.DeviceInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @Test
  void deviceInfo(@TempDir Path tmp) throws Exception {
    try (SimFixture f = new SimFixture(tmp)) {
      DeviceInfo info = f.host.deviceInfo();
      assertEquals("Simulated device", info.model());
      assertEquals(2, f.host.getStorageIds().length);
    }
  }
}
