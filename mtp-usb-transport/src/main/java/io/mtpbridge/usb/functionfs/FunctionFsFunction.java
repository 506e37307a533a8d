package io.mtpbridge.usb.functionfs;

import com.sun.jna.Memory;
import io.mtpbridge.usb.function.BulkInEndpoint;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import io.mtpbridge.usb.function.ControlReply;
import io.mtpbridge.usb.function.ControlRequest;
import io.mtpbridge.usb.function.EndpointAbortedException;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.function.UsbFunctionListener;
import io.mtpbridge.usb.function.UsbSpeed;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTP function on a mounted FunctionFS instance (Linux USB gadget): writes the descriptors
 * and strings to ep0, opens ep1 (bulk IN), ep2 (bulk OUT), ep3 (interrupt IN), and runs the ep0
 * event loop on its own thread: BIND, UNBIND, ENABLE (reading the negotiated packet size each
 * time), DISABLE, SUSPEND, RESUME and SETUP with its data stage.
 */
public final class FunctionFsFunction implements UsbFunction {
  private static final Logger log = LoggerFactory.getLogger(FunctionFsFunction.class);
  /** FUNCTIONFS_ENDPOINT_DESC = _IOR('g', 130, struct usb_endpoint_descriptor), 9 bytes. */
  static final long ENDPOINT_DESC = 0x80096782L;
  static final int EVENT_SIZE = 12;
  static final int BIND = 0;
  static final int UNBIND = 1;
  static final int ENABLE = 2;
  static final int DISABLE = 3;
  static final int SETUP = 4;
  static final int SUSPEND = 5;
  static final int RESUME = 6;

  private final Path dir;
  /**
   * ep0 opened by the JDK, for writing the descriptors and strings: binding the gadget does not
   * wait for JNA, whose start-up (its native stub, its classes, java.util.logging) was about a
   * third of the JVM's work before the descriptors were written. Closed once {@link #ep0} is open.
   */
  private FileChannel setupChannel;
  /** ep0 through libc, from the end of {@link #start} on: events, control requests, stalls, ZLPs. */
  private EndpointFile ep0;
  private final FfsEndpoint bulkIn = new FfsEndpoint("ep1 (bulk IN)", true);
  private final FfsEndpoint bulkOut = new FfsEndpoint("ep2 (bulk OUT)", false);
  private final FfsEndpoint interruptIn = new FfsEndpoint("ep3 (interrupt IN)", true);
  /** A second, non-blocking handle on ep1 for ioctls, so ENABLE handling never waits. */
  private EndpointFile descriptorProbe;
  private volatile UsbFunctionListener listener;
  private Thread ep0Thread;
  private volatile boolean closed;
  private boolean msOsDescriptors;

  private FunctionFsFunction(Path dir, FileChannel setupChannel) {
    this.dir = dir;
    this.setupChannel = setupChannel;
  }

  /**
   * Opens the FunctionFS instance mounted at {@code dir}. Every way this can fail is reported as a
   * {@link FunctionFsSetupException} whose message says what to do.
   */
  public static FunctionFsFunction open(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new FunctionFsSetupException("FunctionFS directory " + dir + " does not exist: create it and mount the "
          + "function instance there (mount -t functionfs <instance> " + dir + "), e.g. with the gadget setup script");
    }
    if (!Files.isDirectory(dir)) throw new FunctionFsSetupException(dir + " is not a directory: --functionfs needs the FunctionFS mount point");
    Path ep0Path = dir.resolve("ep0");
    if (!Files.exists(ep0Path)) {
      throw new FunctionFsSetupException(dir + " has no ep0, so no FunctionFS instance is mounted there: create "
          + "functions/ffs.<instance> in the configfs gadget, then mount -t functionfs <instance> " + dir);
    }
    String fsType = MountTable.typeOf(dir);
    if (fsType != null && !fsType.equals("functionfs")) {
      throw new FunctionFsSetupException(dir + " is not a FunctionFS mount (it is on a " + fsType + " file system): mount the "
          + "function instance there first (mount -t functionfs <instance> " + dir + ")");
    }
    if (Files.exists(dir.resolve("ep1"))) {
      throw new FunctionFsSetupException(dir + "/ep1 already exists: another process has already set up this FunctionFS "
          + "instance (is another mtpd running?). Stop it, or remount the instance.");
    }
    try {
      return new FunctionFsFunction(dir, FileChannel.open(ep0Path, StandardOpenOption.READ, StandardOpenOption.WRITE));
    } catch (AccessDeniedException e) {
      throw new FunctionFsSetupException("cannot open " + ep0Path + " for reading and writing: permission denied: run mtpd as "
          + "root, or mount functionfs with uid=/gid= of the mtpd user", e);
    } catch (IOException e) {
      String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
      throw new FunctionFsSetupException("cannot open " + ep0Path + " for reading and writing: " + why
          + " (is another process holding this FunctionFS instance, or is it being torn down? mount it again)", e);
    }
  }

  @Override public void start(UsbFunctionListener l) throws IOException {
    if (listener != null) throw new IllegalStateException("already started");
    this.listener = l;
    writeDescriptors();
    try {
      writeWhole(FfsDescriptors.strings());
    } catch (IOException e) {
      throw new FunctionFsSetupException("the kernel refused the USB strings written to " + dir + "/ep0: " + e.getMessage(), e);
    }
    if (!Files.exists(dir.resolve("ep1"))) {
      throw new FunctionFsSetupException("the descriptors were accepted but " + dir + "/ep1 did not appear: " + dir
          + " does not behave like a FunctionFS instance");
    }
    // The gadget can be bound from here on; what follows (JNA, the endpoint files, the event
    // thread) overlaps with the host's enumeration. Events wait in ep0 until the thread reads them.
    ThreadInterrupter.ensureReady();
    try {
      ep0 = EndpointFile.open(dir.resolve("ep0"), LibC.O_RDWR);
    } catch (NativeIoException e) {
      throw new FunctionFsSetupException("cannot open " + dir + "/ep0 again for the event loop: " + e.getMessage(), e);
    }
    closeSetupChannel();
    bulkIn.attach(EndpointFile.open(dir.resolve("ep1"), LibC.O_RDWR));
    bulkOut.attach(EndpointFile.open(dir.resolve("ep2"), LibC.O_RDWR));
    interruptIn.attach(EndpointFile.open(dir.resolve("ep3"), LibC.O_RDWR));
    descriptorProbe = EndpointFile.open(dir.resolve("ep1"), LibC.O_RDWR | LibC.O_NONBLOCK);
    ep0Thread = new Thread(this::eventLoop, "ffs-ep0");
    ep0Thread.setDaemon(true);
    ep0Thread.start();
    log.info("FunctionFS function ready at {} ({}): the gadget can be bound to a UDC now", dir,
        msOsDescriptors ? "with Microsoft OS descriptors" : "without Microsoft OS descriptors");
  }

  /**
   * With the extended compat ID first; kernels without MS OS descriptor support refuse it (EINVAL),
   * and any refusal is tried once more without (a second refusal is the real error).
   */
  private void writeDescriptors() throws IOException {
    try {
      writeWhole(FfsDescriptors.descriptors(true));
      msOsDescriptors = true;
      return;
    } catch (IOException e) {
      log.warn("the kernel refused the Microsoft OS descriptors ({}); continuing without them (Windows may need a driver hint)", e.getMessage());
    }
    try {
      writeWhole(FfsDescriptors.descriptors(false));
    } catch (IOException e) {
      throw new FunctionFsSetupException("the kernel refused the USB descriptors written to " + dir + "/ep0: " + e.getMessage(), e);
    }
  }

  /** One write(2) of the whole blob, as FunctionFS requires for descriptors and strings. */
  private void writeWhole(ByteBuffer blob) throws IOException {
    ByteBuffer d = direct(blob);
    int n = setupChannel.write(d);
    if (d.hasRemaining()) throw new IOException("the kernel took " + n + " of " + (n + d.remaining()) + " bytes");
  }

  private void closeSetupChannel() {
    FileChannel c = setupChannel;
    setupChannel = null;
    if (c == null) return;
    try {
      c.close();
    } catch (IOException e) {
      log.debug("closing the set-up handle of ep0: {}", e.toString());
    }
  }

  private static ByteBuffer direct(ByteBuffer heap) {
    ByteBuffer d = ByteBuffer.allocateDirect(heap.remaining());
    d.put(heap.duplicate()).flip();
    return d;
  }

  /** Whether the kernel accepted the Microsoft extended compat ID. */
  public boolean hasMsOsDescriptors() { return msOsDescriptors; }

  @Override public BulkInEndpoint bulkIn() { return bulkIn; }

  @Override public BulkOutEndpoint bulkOut() { return bulkOut; }

  @Override public BulkInEndpoint interruptIn() { return interruptIn; }

  // ---------------- ep0 ----------------

  private void eventLoop() {
    ByteBuffer events = ByteBuffer.allocateDirect(EVENT_SIZE * 4).order(ByteOrder.LITTLE_ENDIAN);
    while (!closed) {
      events.clear();
      int n;
      try {
        n = ep0.read(events);
      } catch (EndpointAbortedException e) {
        if (closed) return;
        continue;
      } catch (IOException e) {
        if (closed) return;
        log.warn("reading FunctionFS events failed: {}", e.getMessage());
        sleepQuietly(200);
        continue;
      }
      for (int off = 0; off + EVENT_SIZE <= n; off += EVENT_SIZE) {
        try {
          handleEvent(events, off);
        } catch (RuntimeException e) {
          log.error("handling FunctionFS event {} failed", events.get(off + 8), e);
        }
      }
    }
  }

  private void handleEvent(ByteBuffer events, int off) {
    int type = events.get(off + 8) & 0xFF;
    UsbFunctionListener l = listener;
    switch (type) {
      case BIND -> log.info("function bound to a USB device controller");
      case UNBIND -> l.onUnbind();
      case ENABLE -> enable(l);
      case DISABLE -> l.onDisable();
      case SUSPEND -> l.onSuspend();
      case RESUME -> l.onResume();
      case SETUP -> setup(SetupPacket.decode(events, off), l);
      default -> log.debug("ignoring FunctionFS event type {}", type);
    }
  }

  private void enable(UsbFunctionListener l) {
    int maxPacket;
    try {
      maxPacket = negotiatedMaxPacket();
    } catch (NativeIoException e) {
      if (e.errno() == LibC.EAGAIN) {
        log.info("configuration dropped again before it could be used");
        return;
      }
      log.error("cannot read the negotiated packet size: {}; assuming high speed", e.getMessage());
      maxPacket = UsbSpeed.HIGH.bulkMaxPacket();
    } catch (IOException e) {
      log.error("cannot read the negotiated packet size: {}; assuming high speed", e.getMessage());
      maxPacket = UsbSpeed.HIGH.bulkMaxPacket();
    }
    UsbSpeed speed = maxPacket >= 1024 ? UsbSpeed.SUPER : maxPacket >= 512 ? UsbSpeed.HIGH : UsbSpeed.FULL;
    l.onEnable(speed, maxPacket);
  }

  /** The bulk IN descriptor for the speed the host connected at, from the kernel. */
  int negotiatedMaxPacket() throws IOException {
    Memory desc = new Memory(16);
    desc.clear();
    descriptorProbe.ioctl(ENDPOINT_DESC, desc);
    int maxPacket = desc.getShort(4) & 0x7FF;
    if (maxPacket == 0) throw new IOException("endpoint descriptor reports a max packet size of 0");
    return maxPacket;
  }

  private void setup(SetupPacket s, UsbFunctionListener l) {
    try {
      if (s.isDeviceToHost()) {
        ControlReply reply = dispatch(s, null, l);
        if (reply.stalled()) stall(s);
        else {
          ByteBuffer data = reply.data().duplicate();
          if (data.remaining() > s.length()) data.limit(data.position() + s.length());
          ep0.write(direct(data));
        }
      } else {
        ByteBuffer data = ByteBuffer.allocateDirect(s.length());
        if (s.length() > 0) {
          ep0.read(data); // reading the data stage also acknowledges the request
          data.flip();
        }
        ControlReply reply = dispatch(s, data, l);
        if (s.length() == 0) {
          if (reply.stalled()) stall(s);
          else ep0.read(ByteBuffer.allocateDirect(0));
        } else if (reply.stalled()) {
          log.debug("request 0x{} refused after its data stage was acknowledged", Integer.toHexString(s.request()));
        }
      }
    } catch (NativeIoException e) {
      if (e.errno() == LibC.EIDRM) log.debug("control request superseded by a newer one");
      else log.warn("answering control request {} failed: {}", s, e.getMessage());
    } catch (IOException e) {
      log.warn("answering control request {} failed: {}", s, e.getMessage());
    }
  }

  /** A zero-length transfer in the wrong direction makes FunctionFS stall ep0 (it then reports EL2HLT). */
  private void stall(SetupPacket s) throws IOException {
    try {
      if (s.isDeviceToHost()) ep0.read(ByteBuffer.allocateDirect(0));
      else ep0.write(ByteBuffer.allocateDirect(0));
    } catch (NativeIoException e) {
      if (e.errno() != LibC.EL2HLT) throw e;
    }
  }

  private ControlReply dispatch(SetupPacket s, ByteBuffer data, UsbFunctionListener l) {
    if (s.type() == SetupPacket.TYPE_STANDARD && s.recipient() == SetupPacket.RECIPIENT_ENDPOINT) {
      return StandardEndpointRequests.answer(s, this::endpointByIndex);
    }
    return l.onControlRequest(new ControlRequest(s.requestType(), s.request(), s.value(), s.index(), s.length(), data));
  }

  /** FunctionFS hands endpoint requests over with wIndex rewritten to the endpoint's file number. */
  private FfsEndpoint endpointByIndex(int index) {
    return switch (index & 0x0F) {
      case 1 -> bulkIn;
      case 2 -> bulkOut;
      case 3 -> interruptIn;
      default -> null;
    };
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the event loop and closes every file; the kernel then reports the function gone to the host. */
  @Override public void close() {
    if (closed) return;
    closed = true;
    bulkIn.close();
    bulkOut.close();
    interruptIn.close();
    if (descriptorProbe != null) descriptorProbe.close();
    if (ep0 != null) ep0.close();
    closeSetupChannel();
    if (ep0Thread != null) {
      try {
        ep0Thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
