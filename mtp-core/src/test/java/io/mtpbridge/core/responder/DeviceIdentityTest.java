package io.mtpbridge.core.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceInfo;
import io.mtpbridge.core.operations.StandardOperations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that never sets its identity does not share its serial with every other such device,
 * and device strings an MTP string cannot hold are refused when configured, not at GetDeviceInfo.
 */
class DeviceIdentityTest {
  @TempDir Path dir;

  private static String serialOf(MtpResponder r) throws Exception {
    try (TestHost h = new TestHost(r)) {
      return DeviceInfo.decode(h.ok(h.link.transact(OperationCode.GET_DEVICE_INFO.value(), 0))).serialNumber();
    }
  }

  @Test
  void devicesWithoutAnIdentityDoNotShareASerial() throws Exception {
    String one = serialOf(MtpResponder.builder().install(StandardOperations.SET).build());
    assertNotEquals("0000000000000001", one);
    Optional<String> machine = DeviceIdentity.machineSerial();
    if (machine.isPresent()) {
      assertEquals(machine.get(), one, "derived from this machine's id");
    } else {
      assertNotEquals(one, serialOf(MtpResponder.builder().install(StandardOperations.SET).build()), "random when the machine has no id");
    }
  }

  @Test
  void theSerialIsAHashOfTheMachineIdNotTheIdItself() throws Exception {
    Path id = Files.writeString(dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
    Path other = Files.writeString(dir.resolve("other"), "fedcba9876543210fedcba9876543210\n");
    String s = DeviceIdentity.machineSerial(List.of(id)).orElseThrow();
    assertEquals(16, s.length());
    assertTrue(s.matches("[0-9A-F]{16}"), s);
    assertNotEquals("0123456789ABCDEF", s, "the machine-id stays private");
    assertEquals(s, DeviceIdentity.machineSerial(List.of(dir.resolve("missing"), id)).orElseThrow(), "stable, and the next file is tried");
    assertNotEquals(s, DeviceIdentity.machineSerial(List.of(other)).orElseThrow());
    assertTrue(DeviceIdentity.machineSerial(List.of(dir.resolve("missing"))).isEmpty());
  }

  /**
   * The serial's value is part of the device's identity on every host that has seen it (hosts key
   * devices by serial), and udev-rules/gadget/mtp-gadget derives the USB serial by the same rule:
   * printf 'mtpbridge-serial:%s' ID | sha256sum | cut -c1-16, upper case.
   */
  @Test
  void theSerialIsTheOneTheGadgetScriptDerives() throws Exception {
    Path id = Files.writeString(dir.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
    assertEquals("4274F0335ACE86CC", DeviceIdentity.machineSerial(List.of(id)).orElseThrow());
  }

  @Test
  void stringsAnMtpStringCannotHoldAreRefusedWhenConfigured() {
    String tooLong = "m".repeat(255);
    assertThrows(IllegalArgumentException.class, () -> new DeviceIdentity("Acme", tooLong, "1.0", "S1"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceIdentity(tooLong, "Model", "1.0", "S1"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceIdentity("Acme", "Model", tooLong, "S1"));
    assertThrows(IllegalArgumentException.class, () -> new DeviceIdentity("Acme", "Model", "1.0", tooLong));
    assertThrows(IllegalArgumentException.class, () -> new DeviceIdentity("Acme", "bad \uD800 surrogate", "1.0", "S1"));
    new DeviceIdentity("Acme", "m".repeat(254), "1.0", "S1");
  }
}
