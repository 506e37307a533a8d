package io.mtpbridge.device;

import static io.mtpbridge.usb.mtp.Containers.command;
import static io.mtpbridge.usb.mtp.Containers.u16;
import static io.mtpbridge.usb.mtp.Containers.u32;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.storage.fs.FileSystemStorage;
import io.mtpbridge.usb.functionfs.FunctionFsTraining;
import io.mtpbridge.usb.mtp.Containers;
import io.mtpbridge.usb.mtp.FakeUsbFunction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind mtpd's class-data sharing archive (see mtp-device/bin/mtpd): the
 * build runs it with {@code -XX:DumpLoadedClassList} and archives every class it loaded, so a
 * device maps them from the archive instead of loading, parsing and verifying them at each start
 * and first listing.
 *
 * <p>It goes where mtpd goes on a device: the start-up (options, logging, storages, up to
 * FunctionFS, which a build machine does not have; the FunctionFS backend's native calls are
 * exercised on /dev/null instead), then a whole device over a packet-exact fake USB function
 * driven the way libmtp's tools drive it: mtp-detect, mtp-files (per-object GetObjectInfo and
 * GetObjectPropList), the device-open listing (GetObjectPropList of every object), downloads,
 * uploads with SendObjectInfo and SendObjectPropList, a new folder, a rename, a delete, a file
 * appearing on the device (events), and a cancelled download.
 *
 * <p>Not a test: it checks only what it needs to carry on, and fails loudly if the device does
 * not answer, so a broken training run never produces a silently useless class list.
 */
public final class CdsTraining {
  private static final int OK = 0x2001;
  private static final int ALL = 0xFFFFFFFF;
  private final FakeUsbFunction usb;
  private int tid;

  private CdsTraining(FakeUsbFunction usb) { this.usb = usb; }

  /** {@code CdsTraining [MTPD_JAR]}: with the jar, JNA's native part is loaded from beside it, as mtpd does. */
  public static void main(String[] args) throws Exception {
    Path work;
    if (args.length > 0) {
      // The training runs from the classes folders, so mtpd's own lookup (next to its jar) finds
      // nothing; without this JNA would unpack its library and the archive would hold the security
      // classes that costs (JnaLibraryPath). For the same reason the work folder is not a
      // temporary one (its random name comes from SecureRandom): mtpd loads neither.
      Path jar = Path.of(args[0]).toAbsolutePath();
      Path jna = JnaLibraryPath.shippedFolder(jar, Native.VERSION_NATIVE, Platform.RESOURCE_PREFIX);
      if (jna != null) System.setProperty(JnaLibraryPath.BOOT_PROPERTY, jna.toString());
      work = jar.resolveSibling("cds-training");
      delete(work);
      Files.createDirectories(work);
    } else {
      work = Files.createTempDirectory("mtpd-cds-training");
    }
    try {
      Path store = Files.createDirectories(work.resolve("store"));
      for (int f = 0; f < 3; f++) {
        Path folder = Files.createDirectories(store.resolve("DCIM-" + f));
        // Names made without String.format: its %d loads the locale data (CLDR), which mtpd does not use.
        for (int i = 0; i < 40; i++) Files.write(folder.resolve("IMG_00" + (i < 10 ? "0" : "") + i + ".jpg"), Containers.pattern(700 + i, i));
      }
      Files.write(store.resolve("notes.txt"), Containers.pattern(70_000, 1));
      Files.write(store.resolve("song.mp3"), Containers.pattern(300_000, 2));
      startUp(work, store);
      // what mtpd loads once FunctionFS is up, which the start-up above cannot reach here
      for (String c : List.of("io.mtpbridge.device.StopSignals", "io.mtpbridge.device.DeviceBackup", "sun.misc.Signal",
          "sun.misc.SignalHandler")) {
        Class.forName(c);
      }
      FunctionFsTraining.exercise();
      device(store);
    } finally {
      delete(work);
    }
    System.out.println("CDS training run done");
    System.exit(0);
  }

  private static void delete(Path folder) throws IOException {
    if (!Files.exists(folder)) return;
    try (Stream<Path> s = Files.walk(folder)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** mtpd's main up to the point where it opens FunctionFS (a plain folder here, so it stops there). */
  private static void startUp(Path work, Path store) throws IOException {
    Path ffs = Files.createDirectories(work.resolve("ffs"));
    Files.createFile(ffs.resolve("ep0"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Mtpd.run(new String[] {"--functionfs", ffs.toString(), "--storage", "Files=" + store, "--serial", "TRAINING"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    if (status != Mtpd.EXIT_ENVIRONMENT) throw new IllegalStateException("mtpd's start-up ended with " + status + ": " + err);
  }

  private static void device(Path store) throws Exception {
    MtpdOptions options = MtpdCommandLine.parse(new String[] {"--functionfs", "/unused", "--storage", "Files=" + store,
        "--serial", "TRAINING"}).options();
    List<FileSystemStorage> storages = DeviceStorages.open(options.storages());
    FakeUsbFunction usb = new FakeUsbFunction(512, 1 << 16);
    MtpDevice device = new MtpDevice(options, storages, usb, List.of());
    device.start();
    usb.enable();
    Thread serving = new Thread(device::serve, "mtp-protocol");
    serving.start();
    try {
      CdsTraining host = new CdsTraining(usb);
      for (int round = 0; round < 2; round++) host.libmtpTools(store, round);
    } finally {
      device.stop();
      serving.join(10_000);
      device.close();
    }
  }

  private void libmtpTools(Path store, int round) throws Exception {
    // mtp-detect: the uncached open, then what it prints
    openSession();
    data(0x1001); // GetDeviceInfo
    int storage = u32(data(0x1004), 4); // GetStorageIDs
    data(0x1005, storage); // GetStorageInfo
    data(0x1014, 0xD402); // GetDevicePropDesc(DeviceFriendlyName)
    data(0x1015, 0xD402); // GetDevicePropValue
    data(0x1014, 0x5001); // BatteryLevel, refused if not offered
    byte[] props = data(0x9801, 0x3000); // GetObjectPropsSupported(Undefined)
    if (props != null) {
      for (int i = 0; i < u32(props, 0); i++) data(0x9802, u16(props, 4 + 2 * i), 0x3000); // GetObjectPropDesc
    }
    closeSession();

    // mtp-files: GetObjectHandles per folder, GetObjectInfo and GetObjectPropList(depth 0) per object
    openSession();
    List<Integer> files = new ArrayList<>();
    List<Integer> folders = new ArrayList<>();
    folders.add(ALL);
    int big = 0;
    long bigSize = -1;
    for (int f = 0; f < folders.size(); f++) {
      byte[] handles = data(0x1007, storage, 0, folders.get(f));
      for (int i = 0; i < u32(handles, 0); i++) {
        int h = u32(handles, 4 + 4 * i);
        byte[] info = data(0x1008, h);
        data(0x9805, h, 0, ALL, 0, 0);
        if (u16(info, 4) == 0x3001) {
          folders.add(h);
        } else {
          files.add(h);
          long size = u32(info, 8) & 0xFFFFFFFFL;
          if (size > bigSize) {
            big = h;
            bigSize = size;
          }
        }
      }
    }
    closeSession();

    // mtp-getfile / mtp-sendfile / mtp-folders: the cached open asks for every object's properties
    openSession();
    data(0x9805, ALL, 0, ALL, 0, ALL);
    data(0x9805, folders.get(1), 0, ALL, 0, 1); // a folder, the way gvfs and Windows open one
    data(0x1007, storage, 0, 0); // GetObjectHandles of every object
    data(0x1006, storage, 0, ALL); // GetNumObjects
    for (int h : files.subList(0, Math.min(5, files.size()))) {
      data(0x1008, h);
      data(0x1009, h); // GetObject
      data(0x9803, h, 0xDC04); // GetObjectPropValue(ObjectSize)
    }
    data(0x101B, big, 1000, 100_000); // GetPartialObject
    data(0x95C1, big, 0, 0, 4096); // GetPartialObject64 (Android), refused if not offered
    cancelledDownload(big);

    // mtp-sendfile: SendObjectPropList + SendObject (libmtp), and SendObjectInfo + SendObject
    int sent = sendObjectPropList(storage, "upload-" + round + ".bin", 200_000);
    sendObject(Containers.pattern(200_000, 3));
    int sentInfo = sendObjectInfo(storage, "upload-info-" + round + ".txt", 0x3004, 5_000);
    sendObject(Containers.pattern(5_000, 4));
    int folder = sendObjectInfo(storage, "folder-" + round, 0x3001, 0); // mtp-newfolder
    // rename (LIBMTP_Set_File_Name): SetObjectPropValue(ObjectFileName)
    ByteBuf name = Unpooled.buffer();
    PropertyValue.str("renamed-" + round + ".txt").encode(name);
    send(0x9804, toArray(name), sentInfo, 0xDC07);
    // a file made on the device side while the session is open: the watcher reports it as an event
    data(0x1007, storage, 0, ALL);
    Files.write(store.resolve("device-made-" + round + ".txt"), Containers.pattern(100, 5));
    Thread.sleep(400);
    while (usb.hostReceivePacket(1) != null) {
      // interrupt-pipe events are read by libmtp's event thread; the bulk pipe has nothing pending
    }
    response(0x100B, sent, 0); // DeleteObject
    response(0x100B, folder, 0);
    closeSession();
  }

  /** A download the host gives up (Cancel class request), then the next command works. */
  private void cancelledDownload(int handle) throws Exception {
    int t = ++tid;
    usb.hostSend(command(0x1009, t, handle), true);
    usb.hostReceivePacket(2000);
    usb.cancel(t);
    while (usb.hostReceivePacket(300) != null) {
      // what was queued before the cancel took effect
    }
    for (int i = 0; i < 50 && usb.deviceStatus() != OK; i++) Thread.sleep(20);
  }

  private int sendObjectPropList(int storage, String fileName, long size) throws Exception {
    ByteBuf list = Unpooled.buffer();
    new ObjectPropList(List.of(
        new ObjectPropList.Element(0, 0xDC07, PropertyValue.str(fileName)),
        new ObjectPropList.Element(0, 0xDC09, PropertyValue.str("20240102T030405")),
        new ObjectPropList.Element(0, 0xDC44, PropertyValue.str(fileName)))).encode(list);
    byte[] r = send(0x9808, toArray(list), storage, ALL, 0x3000, (int) (size >>> 32), (int) size);
    return u32(r, 20);
  }

  private int sendObjectInfo(int storage, String fileName, int format, long size) throws Exception {
    ByteBuf info = Unpooled.buffer();
    ObjectInfo.builder().storageId(storage).objectFormat(format).size(size).filename(fileName).build().encode(info);
    byte[] r = send(0x100C, toArray(info), storage, ALL);
    return u32(r, 20);
  }

  private void sendObject(byte[] content) throws Exception { send(0x100D, content); }

  private void openSession() throws Exception {
    tid = 0;
    usb.hostSend(command(0x1002, 0, 1), true);
    expectOk(usb.hostReceiveTransfer(), 0x1002); // OpenSession
  }

  private void closeSession() throws Exception { response(0x1003); }

  /** A transaction whose answer may have a data phase: the payload, or null when refused without data. */
  private byte[] data(int code, int... params) throws Exception {
    usb.hostSend(command(code, ++tid, params), true);
    byte[] first = usb.hostReceiveTransfer();
    if (u16(first, 4) == 3) return null; // a response, no data: refused
    byte[] payload = java.util.Arrays.copyOfRange(first, 12, first.length);
    long length = u32(first, 0) & 0xFFFFFFFFL;
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.write(payload);
    // a known length may span several transfers; an unknown one (0xFFFFFFFF) ends with the first short packet
    while (length != 0xFFFFFFFFL && all.size() + 12L < length) all.write(usb.hostReceiveTransfer());
    usb.hostReceiveTransfer(); // the response
    return all.toByteArray();
  }

  private byte[] response(int code, int... params) throws Exception {
    usb.hostSend(command(code, ++tid, params), true);
    return expectOk(usb.hostReceiveTransfer(), code);
  }

  /** A transaction with a data phase to the device; the response. */
  private byte[] send(int code, byte[] payload, int... params) throws Exception {
    int t = ++tid;
    usb.hostSend(command(code, t, params), true);
    usb.hostSend(Containers.data(code, t, payload), true);
    return expectOk(usb.hostReceiveTransfer(), code);
  }

  /** The response, when it is OK (the operation's name is formatted only for the failure: the run records what it loads). */
  private static byte[] expectOk(byte[] response, int code) {
    if (u16(response, 4) != 3 || u16(response, 6) != OK) {
      throw new IllegalStateException(String.format("0x%04X was answered 0x%04X", code, u16(response, 6)));
    }
    return response;
  }

  private static byte[] toArray(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }
}
