package io.mtpbridge.device;

import io.mtpbridge.core.operations.StandardOperations;
import io.mtpbridge.core.responder.DeviceIdentity;
import io.mtpbridge.core.responder.MtpResponder;
import io.mtpbridge.core.responder.ResponderBuilder;
import io.mtpbridge.core.storage.Storage;
import io.mtpbridge.usb.function.UsbFunction;
import io.mtpbridge.usb.mtp.UsbMtpTransport;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole device in one place: responder (identity, storages, extensions) on the USB framing on
 * a USB function. Extensions such as the backup bridge plug in through {@link Extension}, which
 * sees the responder builder before the responder is built.
 */
public final class MtpDevice implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MtpDevice.class);

  /** Adds operations, storages, vendor extensions or session listeners to the responder. */
  @FunctionalInterface
  public interface Extension {
    void extend(ResponderBuilder builder) throws IOException;
  }

  /**
   * The DeviceInfo entry of Android's extension (0x95C1..0x95C5, served in any case). go-mtpfs
   * writes files in place through those operations only when it sees this entry; libmtp then
   * applies its Android quirks (no object property lists, a USB reset when it closes).
   */
  public static final String ANDROID_EXTENSION = "android.com: 1.0;";

  private final MtpdOptions options;
  private final List<Extension> extensions;
  private volatile MtpResponder responder;
  private final UsbFunction function;
  private final UsbMtpTransport transport;
  private final List<? extends Storage> storages;
  private final CountDownLatch finished = new CountDownLatch(1);

  public MtpDevice(MtpdOptions options, List<? extends Storage> storages, UsbFunction function,
                   List<Extension> extensions) throws IOException {
    this.options = options;
    this.extensions = List.copyOf(extensions);
    this.storages = storages;
    this.function = function;
    this.transport = new UsbMtpTransport(function);
  }

  /** The responder, once {@link #start()} built it. */
  public MtpResponder responder() { return responder; }

  /**
   * Publishes the USB function (descriptors to the kernel), after which the gadget can be bound,
   * and only then builds the responder (its operations, properties, storages and extensions): the
   * host's enumeration and the responder's construction overlap instead of adding up, which a
   * slow board feels at every start. Commands that arrive meanwhile wait in the bulk pipe.
   */
  public void start() throws IOException {
    transport.start();
    ResponderBuilder b = MtpResponder.builder().install(StandardOperations.SET)
        .identity(new DeviceIdentity(options.manufacturer(), options.model(), options.deviceVersion(), options.serial()));
    if (options.friendlyName() != null) b.friendlyName(options.friendlyName());
    if (options.friendlyNameFile() != null) {
      b.friendlyNameFile(options.friendlyNameFile());
      // object references (playlists) live next to the friendly name, in mtpd's state directory
      b.referencesFile(options.friendlyNameFile().resolveSibling("object-references"));
    }
    if (options.androidExtension()) b.addVendorExtension(ANDROID_EXTENSION);
    for (Storage s : storages) b.addStorage(s);
    for (Extension e : extensions) e.extend(b);
    this.responder = b.build();
  }

  /**
   * Serves hosts, one after the other, until {@link #stop()}: a disconnect, a disable or a Device
   * Reset ends the session (partial uploads are removed) and the next host is served.
   */
  public void serve() {
    try {
      responder.serve(transport);
    } finally {
      finished.countDown();
    }
  }

  /** Ends serving: the transfer in flight is aborted, a partial upload removed, the session closed. */
  public void stop() { transport.close(); }

  /** Waits until {@link #serve()} has returned, so the session's clean-up is done. */
  public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
    return finished.await(timeout, unit);
  }

  @Override public void close() {
    transport.close();
    try {
      function.close();
    } catch (IOException e) {
      log.warn("closing the USB function failed: {}", e.getMessage());
    }
    for (Storage s : storages) {
      try {
        s.close();
      } catch (Exception e) {
        log.warn("closing storage failed: {}", e.toString());
      }
    }
  }
}
