package io.mtpbridge.sim.app;

import static org.junit.jupiter.api.Assertions.*;

import io.mtpbridge.host.MtpInitiator;
import io.mtpbridge.sim.usbip.UsbIpClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceSimAppTest {
  @TempDir Path tmp;

  private record Result(int status, String out, String err) {}

  private static Result run(CountDownLatch stop, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = DeviceSim.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), stop);
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void demoShowsTheDeviceAndVerifiesAFetchedFile() throws Exception {
    Path store = Files.createDirectories(tmp.resolve("s/sub"));
    Files.writeString(store.resolve("hello.txt"), "hello from the device");
    Result r = run(new CountDownLatch(1), "--demo", "--storage", "Mine=" + tmp.resolve("s"), "--serial", "DEMO-1");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("interface 6/1/1 \"MTP\""), r.out());
    assertTrue(r.out().contains("serial DEMO-1"), r.out());
    assertTrue(r.out().contains("sub/hello.txt"), r.out());
    assertTrue(r.out().contains("Verified: identical to"), r.out());
  }

  @Test
  void demoWithEmptyStoragesFailsWithAReason() throws Exception {
    Files.createDirectories(tmp.resolve("empty"));
    Result r = run(new CountDownLatch(1), "--demo", "--storage", "E=" + tmp.resolve("empty"));
    assertEquals(1, r.status());
    assertTrue(r.err().contains("no file to fetch"), r.err());
  }

  @Test
  void badOptionsSayWhatToDo() {
    Result r = run(new CountDownLatch(1), "--usbip-port", "http");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--usbip-port \"http\" is not a number"), r.err());
    assertEquals(2, run(new CountDownLatch(1), "--speed", "warp").status());
    assertEquals(2, run(new CountDownLatch(1), "--functionfs", "/dev/ffs").status());
    Result missing = run(new CountDownLatch(1), "--storage", "X=" + tmp.resolve("missing"));
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("does not exist"), missing.err());
    assertTrue(run(new CountDownLatch(1), "--help").out().contains("--usbip-port"));
    Result unknown = run(new CountDownLatch(1), "--turbo");
    assertEquals(2, unknown.status());
    assertEquals("device-sim: unknown option --turbo (see --help for the list)", unknown.err().strip());
    Result twice = run(new CountDownLatch(1), "--busid", "1-1", "--busid", "2-1");
    assertEquals(2, twice.status());
    assertTrue(twice.err().contains("--busid given twice"), twice.err());
  }

  @Test
  void helpAndVersion() {
    Result help = run(new CountDownLatch(1), "--help");
    assertEquals(0, help.status());
    for (String o : new String[] {"--demo", "--usbip-address", "--busid", "--speed", "--usb-vid", "--usb-pid", "--storage",
        "--serial", "--config", "--log-level", "--version", "Exit status"}) {
      assertTrue(help.out().contains(o), o);
    }
    assertFalse(help.out().contains("--functionfs"), "refused options are not advertised");
    assertFalse(help.out().contains("--backup-registrations="), "refused options are not advertised");
    Result version = run(new CountDownLatch(1), "--version");
    assertEquals(0, version.status());
    assertTrue(version.out().startsWith("device-sim "), version.out());
  }

  @Test
  void simulatorOptionsAreNotConfigKeys() throws Exception {
    Path cfg = tmp.resolve("sim.conf");
    Files.writeString(cfg, "usbip-port=4000\n");
    Result r = run(new CountDownLatch(1), "--config", cfg.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().contains("unknown key \"usbip-port\""), r.err());
  }

  @Test
  void mtpdBackupOptionsAreRefusedWithTheReason() throws Exception {
    Result cli = run(new CountDownLatch(1), "--backup-registrations", tmp.toString(), "--backup-volume", "internal=" + tmp);
    assertEquals(2, cli.status());
    assertTrue(cli.err().startsWith("device-sim: --backup-registrations: device-sim runs its own demo backup"), cli.err());
    assertTrue(cli.err().contains("use mtpd"), cli.err());
    assertEquals(1, cli.err().lines().count(), cli.err());
    Path cfg = tmp.resolve("mtpd.conf");
    Files.writeString(cfg, "storage.1=S=" + tmp + "\nbackup-registrations=" + tmp + "\nbackup-volume.1=internal=" + tmp + "\n");
    Result file = run(new CountDownLatch(1), "--config", cfg.toString());
    assertEquals(2, file.status());
    assertTrue(file.err().contains("the config file's backup-* keys: device-sim runs its own demo backup"), file.err());
  }

  @Test
  void servesOverUsbIpAndPrintsHowToAttach() throws Exception {
    Path store = Files.createDirectories(tmp.resolve("srv"));
    Files.writeString(store.resolve("a.txt"), "abc");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CountDownLatch stop = new CountDownLatch(1);
    CompletableFuture<Result> running = CompletableFuture.supplyAsync(() ->
        run(stop, "--storage", "Srv=" + store, "--usbip-port", String.valueOf(port), "--busid", "2-1", "--model", "Sim Model"));
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    // until the simulator listens: it may take long on a loaded machine, but if it ended, say why at once
    long deadline = System.currentTimeMillis() + 120_000;
    UsbIpClient link = null;
    while (link == null) {
      try {
        link = UsbIpClient.attach(address, "2-1", true);
      } catch (java.io.IOException notYet) {
        if (running.isDone()) throw new AssertionError("device-sim ended before it listened: " + running.join(), notYet);
        if (System.currentTimeMillis() > deadline) throw notYet;
        Thread.sleep(50);
      }
    }
    try (UsbIpClient l = link) {
      MtpInitiator host = new MtpInitiator(l);
      assertEquals("Sim Model", host.deviceInfo().model());
    }
    stop.countDown();
    Result r = running.get(20, TimeUnit.SECONDS);
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("sudo modprobe vhci-hcd"), r.out());
    assertTrue(r.out().contains("sudo usbip --tcp-port " + port + " attach -r 127.0.0.1 -b 2-1"), r.out());
    assertTrue(r.out().contains("mtp-files"), r.out());
  }

  /** A home the demo data owners cannot write (read-only, or a file in the way) leaves only the Backup storage out. */
  @Test
  void storageIsServedWhenTheDemoBackupFolderCannotBeWritten() throws Exception {
    Path store = Files.createDirectories(tmp.resolve("s"));
    Files.writeString(store.resolve("hello.txt"), "hello");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.createDirectories(home.resolve("mtpbridge-sim"));
    Files.writeString(home.resolve("mtpbridge-sim/backup"), "a file where the demo owners' folder would go");
    String old = System.getProperty("mtpbridge.sim.data");
    System.setProperty("mtpbridge.sim.data", home.toString());
    try {
      Result r = run(new CountDownLatch(1), "--demo", "--storage", "Mine=" + store);
      assertEquals(0, r.status(), r.err());
      assertTrue(r.err().contains("serving without the Backup storage"), r.err());
      assertEquals(1, r.err().lines().filter(l -> l.startsWith("device-sim:")).count(), r.err());
      assertTrue(r.out().contains("Verified: identical to"), r.out());
    } finally {
      if (old == null) System.clearProperty("mtpbridge.sim.data");
      else System.setProperty("mtpbridge.sim.data", old);
    }
  }
}
