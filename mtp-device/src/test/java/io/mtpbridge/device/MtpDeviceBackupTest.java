package io.mtpbridge.device;

import static io.mtpbridge.usb.mtp.Containers.command;
import static io.mtpbridge.usb.mtp.Containers.u16;
import static io.mtpbridge.usb.mtp.Containers.u32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mtpbridge.backup.client.ActiveBackupClient;
import io.mtpbridge.backup.client.ActiveBackupDataClient;
import io.mtpbridge.backup.registration.RegistrationLoader;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.usb.mtp.Containers;
import io.mtpbridge.usb.mtp.FakeUsbFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * mtpd's device with the backup bridge on, as {@code --backup-registrations} wires it (engine,
 * Backup storage, vendor operations through {@link MtpDevice.Extension}), driven through the
 * packet-exact fake USB function: the Backup storage appears next to the file storage, and a
 * folder created in /Backups produces a backup.tar holding the passive owner's files.
 */
@Timeout(60)
class MtpDeviceBackupTest {
  private static final int OK = 0x2001;
  private static final int FORMAT_ASSOCIATION = 0x3001;
  private static final String NOTES = "org.example.notes";
  private static final String SLOW = "org.example.slow";
  @TempDir Path tmp;
  private Path volume;
  private FakeUsbFunction usb;
  private MtpDevice device;
  private DeviceBackup backup;
  private Thread serving;
  /** OpenSession is transaction 0; every later operation counts up from there. */
  private int tid = -1;

  @BeforeEach void layOutTheDevice() throws Exception {
    volume = Files.createDirectories(tmp.resolve("data"));
    Files.createDirectories(volume.resolve("notes/sub"));
    Files.writeString(volume.resolve("notes/a.txt"), "first note\n");
    Files.writeString(volume.resolve("notes/sub/b.txt"), "second note\n");
    Files.writeString(volume.resolve("elsewhere.txt"), "not registered\n");
    Path registrations = Files.createDirectories(tmp.resolve("backup.d"));
    String uid = String.valueOf(Files.getAttribute(tmp, "unix:uid"));
    RegistrationLoader.install(registrations, "notes.xml", "<backup_registration owner=\"" + NOTES + "\" uid=\"" + uid + "\">\n"
        + "  <passive_backup><volume name=\"internal\"><include_directory name=\"notes\"/></volume></passive_backup>\n"
        + "</backup_registration>\n");
  }

  private void startDevice(Path registrations) throws Exception {
    Map<String, Path> volumes = new LinkedHashMap<>();
    volumes.put("internal", volume);
    BackupOptions b = new BackupOptions(registrations, volumes, tmp.resolve("staging"), 64L << 20, null, Duration.ofSeconds(5));
    MtpdOptions options = new MtpdOptions(Path.of("/unused"), List.of(new StorageSpec("Internal", Files.createDirectories(tmp.resolve("mtp")), false)),
        "Acme", "Gadget", "SN-BACKUP", "1.0", null, null, "info", b);
    List<FileSystemStorage> storages = DeviceStorages.open(options.storages());
    backup = DeviceBackup.start(b, options.model(), Duration.ofMillis(200));
    usb = new FakeUsbFunction(512, 1 << 16);
    device = new MtpDevice(options, storages, usb, List.of(backup.extension()));
    device.start();
    usb.enable();
    serving = new Thread(device::serve, "test-serve");
    serving.start();
  }

  @AfterEach void stopDevice() throws Exception {
    if (device == null) return;
    device.stop();
    serving.join(5000);
    device.close();
    backup.close();
  }

  // ---------------------------------------------------------------- a minimal host

  private byte[] transact(int code, int... params) throws Exception {
    usb.hostSend(command(code, ++tid, params), true);
    return usb.hostReceiveTransfer();
  }

  /** An operation with a data-in phase: returns the payload after checking the OK response. */
  private byte[] dataIn(int code, int... params) throws Exception {
    byte[] data = transact(code, params);
    assertEquals(2, u16(data, 4), "a data container");
    byte[] response = usb.hostReceiveTransfer();
    assertEquals(OK, u16(response, 6));
    return Arrays.copyOfRange(data, 12, data.length);
  }

  private static int[] u32Array(byte[] b) {
    int[] out = new int[u32(b, 0)];
    for (int i = 0; i < out.length; i++) out[i] = u32(b, 4 + 4 * i);
    return out;
  }

  private static String ptpString(byte[] b, int off) {
    int chars = b[off] & 0xFF;
    return chars == 0 ? "" : new String(b, off + 1, (chars - 1) * 2, StandardCharsets.UTF_16LE);
  }

  private ObjectInfo info(int handle) throws Exception {
    return ObjectInfo.decode(Unpooled.wrappedBuffer(dataIn(0x1008, handle)));
  }

  /** The handle of {@code name} among the children of {@code parent} (0xFFFFFFFF = the root), or -1. */
  private int child(int storage, int parent, String name) throws Exception {
    for (int h : u32Array(dataIn(0x1007, storage, 0, parent))) {
      if (info(h).filename().equals(name)) return h;
    }
    return -1;
  }

  private List<String> names(int storage, int parent) throws Exception {
    List<String> out = new java.util.ArrayList<>();
    for (int h : u32Array(dataIn(0x1007, storage, 0, parent))) out.add(info(h).filename());
    return out;
  }

  private int backupStorage() throws Exception {
    byte[] r = transact(0x1002, 1);
    assertEquals(OK, u16(r, 6));
    int[] ids = u32Array(dataIn(0x1004));
    assertEquals(2, ids.length, "the file storage and the Backup storage");
    assertEquals("Internal", ptpString(dataIn(0x1005, ids[0]), 26));
    assertEquals("Backup", ptpString(dataIn(0x1005, ids[1]), 26));
    return ids[1];
  }

  /** Creates /Backups/{@code name} (which starts a backup into it); returns its handle. */
  private int newBackupFolder(int storage, String name) throws Exception {
    int backups = child(storage, 0xFFFFFFFF, "Backups");
    assertTrue(backups > 0, "the Backup storage has /Backups");
    usb.hostSend(command(0x100C, ++tid, storage, backups), true);
    ByteBuf ds = Unpooled.buffer();
    ObjectInfo.builder().storageId(storage).objectFormat(FORMAT_ASSOCIATION).associationType(1).filename(name).build().encode(ds);
    byte[] payload = new byte[ds.readableBytes()];
    ds.readBytes(payload);
    usb.hostSend(Containers.data(0x100C, tid, payload), true);
    byte[] response = usb.hostReceiveTransfer();
    assertEquals(OK, u16(response, 6), "SendObjectInfo of the folder");
    return u32(response, 20);
  }

  private String statusOf(int storage, int folder) throws Exception {
    int status = child(storage, folder, "status.txt");
    return status < 0 ? "" : new String(dataIn(0x1009, status), StandardCharsets.UTF_8);
  }

  // ---------------------------------------------------------------- the tests

  @Test void backupStorageAppearsAndABackupViaBackupsHoldsThePassiveOwnersFiles() throws Exception {
    startDevice(tmp.resolve("backup.d"));
    int storage = backupStorage();
    int folder = newBackupFolder(storage, "first");
    String status = "";
    long deadline = System.currentTimeMillis() + 30_000;
    while (!status.startsWith("state: done") && System.currentTimeMillis() < deadline) {
      assertTrue(!status.startsWith("state: failed"), status);
      Thread.sleep(100);
      status = statusOf(storage, folder);
    }
    assertTrue(status.startsWith("state: done"), "status.txt: " + status);
    assertTrue(status.contains("owner " + NOTES + ": "), status);

    // the responder reuses a folder listing for up to a second, so a host may need to list again
    int tar = -1;
    for (long until = System.currentTimeMillis() + 60_000; tar < 0 && System.currentTimeMillis() < until; Thread.sleep(200)) {
      tar = child(storage, folder, "backup.tar");
    }
    assertTrue(tar > 0, "backup.tar appears in the folder: " + names(storage, folder));
    Map<String, String> files = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(dataIn(0x1009, tar)))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.isFile()) files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    String prefix = "owners/" + NOTES + "/internal/files/";
    assertEquals("first note\n", files.get(prefix + "notes/a.txt"), files.keySet().toString());
    assertEquals("second note\n", files.get(prefix + "notes/sub/b.txt"), files.keySet().toString());
    assertTrue(files.keySet().stream().noneMatch(n -> n.endsWith("elsewhere.txt")), "only registered paths are backed up");
    assertTrue(files.get("manifest.json").contains(NOTES));
    assertTrue(child(storage, folder, "manifest.json") > 0);
  }

  @Test void vendorExtensionIsAdvertised() throws Exception {
    startDevice(tmp.resolve("backup.d"));
    // DeviceInfo: u16 standard version, u32 vendor extension id, u16 its version, then the string
    String extensions = ptpString(dataIn(0x1001), 8);
    assertTrue(extensions.contains("mtpbridge.io/backup: 1.0;"), "DeviceInfo names the backup extension: " + extensions);
  }

  @Test void shutdownDuringABackupTerminatesTheOwnersTransfer() throws Exception {
    Path registrations = tmp.resolve("backup.d");
    String uid = String.valueOf(Files.getAttribute(tmp, "unix:uid"));
    RegistrationLoader.install(registrations, "slow.xml", "<backup_registration owner=\"" + SLOW + "\" uid=\"" + uid + "\">\n"
        + "  <active_backup callback_timeout_ms=\"50000\"><volume name=\"internal\"/></active_backup>\n"
        + "</backup_registration>\n");
    startDevice(registrations);
    SlowOwner owner = new SlowOwner();
    ActiveBackupClient.connect(backup.engine(), SLOW, owner, (info, readiness) -> {
      if (info.affectsMe()) readiness.ready();
    });
    int storage = backupStorage();
    newBackupFolder(storage, "interrupted");
    assertTrue(owner.streaming.await(20, TimeUnit.SECONDS), "the owner is streaming its data");

    // what SIGTERM does in mtpd: stop serving, close the device, then the backup engine
    device.stop();
    serving.join(10_000);
    device.close();
    backup.close();
    assertTrue(owner.terminated.await(10, TimeUnit.SECONDS), "the owner got terminateMultiStageOperation");
    device = null;
  }

  /** An active owner whose data never ends: it is mid-transfer until it is told to terminate. */
  private static final class SlowOwner implements ActiveBackupDataClient {
    final CountDownLatch streaming = new CountDownLatch(1);
    final CountDownLatch terminated = new CountDownLatch(1);

    @Override public void allSnapshotsSupplied() {}
    @Override public void receiveSnapshotData(String volume, ByteBuffer section, boolean last) {}
    @Override public long getExpectedDataSize(String volume) { return 1 << 20; }
    @Override public boolean getSnapshotData(String volume, ByteBuffer buffer) { return true; }
    @Override public void initialiseGetBackupData(String volume) {}

    @Override public boolean getBackupDataSection(ByteBuffer buffer) throws Exception {
      streaming.countDown();
      buffer.put((byte) 1);
      Thread.sleep(50); // slow, but making progress, so no watchdog fires
      return false;
    }

    @Override public void initialiseRestoreBaseData(String volume) { fail("no restore here"); }
    @Override public void restoreBaseDataSection(ByteBuffer section, boolean finished) { fail("no restore here"); }
    @Override public void initialiseRestoreIncrementData(String volume) { fail("no restore here"); }
    @Override public void restoreIncrementDataSection(ByteBuffer section, boolean finished) { fail("no restore here"); }
    @Override public void restoreComplete(String volume) {}
    @Override public void terminateMultiStageOperation() { terminated.countDown(); }
    @Override public long getDataChecksum(String volume) { return 0; }
  }
}
