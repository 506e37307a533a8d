package io.mtpbridge.host.usb;

import io.mtpbridge.host.link.AttachedDevice;
import io.mtpbridge.host.link.DeviceSource;
import io.mtpbridge.host.link.InitiatorLink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.usb4java.ConfigDescriptor;
import org.usb4java.Context;
import org.usb4java.Device;
import org.usb4java.DeviceDescriptor;
import org.usb4java.DeviceHandle;
import org.usb4java.DeviceList;
import org.usb4java.EndpointDescriptor;
import org.usb4java.Interface;
import org.usb4java.InterfaceDescriptor;
import org.usb4java.LibUsb;

/**
 * MTP devices on this PC's USB buses, through libusb (usb4java; its jar carries libusb built
 * into its native library, so nothing needs installing). A device counts as MTP when one
 * interface of its active configuration has exactly the three MTP endpoints (bulk IN, bulk OUT,
 * interrupt IN) and is either class 6/1/1 (Still Image, PTP) or vendor class 0xFF with an
 * iInterface string containing "MTP" (how Android phones present it) — libmtp's probe, minus
 * its device list.
 */
public final class LibUsbDeviceSource implements DeviceSource {
  private static final int BULK = 2;
  private static final int INTERRUPT = 3;

  private final Context context;
  private boolean closed;

  private LibUsbDeviceSource(Context context) {
    this.context = context;
  }

  /** Loads libusb (usb4java's native library) and starts a libusb context. */
  public static LibUsbDeviceSource open() throws IOException {
    Context context = new Context();
    int r;
    try {
      NativeLibraryCache.load();
      r = LibUsb.init(context);
    } catch (RuntimeException | LinkageError e) {
      throw new IOException("cannot load usb4java's libusb library for " + System.getProperty("os.name") + "/"
          + System.getProperty("os.arch") + " (" + e.getMessage() + "): check that java.io.tmpdir ("
          + System.getProperty("java.io.tmpdir") + ") is writable and not mounted noexec", e);
    }
    if (r != LibUsb.SUCCESS) throw new IOException("cannot start libusb: " + LibUsb.strError(r) + " (is /dev/bus/usb there?)");
    return new LibUsbDeviceSource(context);
  }

  @Override
  public synchronized List<AttachedDevice> devices() throws IOException {
    if (closed) throw new IOException("the USB device list is closed");
    DeviceList list = new DeviceList();
    int n = LibUsb.getDeviceList(context, list);
    if (n < 0) throw new IOException("cannot list USB devices: " + LibUsb.strError(n));
    List<AttachedDevice> found = new ArrayList<>();
    try {
      for (Device d : list) {
        Found f = inspect(d);
        if (f != null) found.add(f);
      }
    } finally {
      LibUsb.freeDeviceList(list, true);
    }
    return found;
  }

  /** The MTP interface of {@code d} and its strings, or null when it has none. */
  private Found inspect(Device d) {
    DeviceDescriptor dd = new DeviceDescriptor();
    if (LibUsb.getDeviceDescriptor(d, dd) != LibUsb.SUCCESS) return null;
    List<Candidate> candidates = candidates(d);
    if (candidates.isEmpty()) return null;
    int bus = LibUsb.getBusNumber(d);
    int address = LibUsb.getDeviceAddress(d);
    String manufacturer = "";
    String product = "";
    String serial = "";
    MtpInterface chosen = null;
    DeviceHandle h = new DeviceHandle();
    if (LibUsb.open(d, h) == LibUsb.SUCCESS) {
      try {
        manufacturer = string(h, dd.iManufacturer());
        product = string(h, dd.iProduct());
        serial = string(h, dd.iSerialNumber());
        for (Candidate c : candidates) {
          if (c.stillImage() || string(h, c.iInterface()).toUpperCase(Locale.ROOT).contains("MTP")) {
            chosen = c.mtp();
            break;
          }
        }
      } finally {
        LibUsb.close(h);
      }
    } else {
      // No access: the strings cannot be read; a Still Image interface is MTP/PTP by its class alone.
      for (Candidate c : candidates) {
        if (c.stillImage()) {
          chosen = c.mtp();
          break;
        }
      }
    }
    if (chosen == null) return null;
    return new Found(this, bus, address, dd.idVendor() & 0xFFFF, dd.idProduct() & 0xFFFF, manufacturer, product, serial, chosen);
  }

  private record Candidate(MtpInterface mtp, boolean stillImage, int iInterface) {}

  private static List<Candidate> candidates(Device d) {
    ConfigDescriptor cd = new ConfigDescriptor();
    if (LibUsb.getActiveConfigDescriptor(d, cd) != LibUsb.SUCCESS && LibUsb.getConfigDescriptor(d, (byte) 0, cd) != LibUsb.SUCCESS) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>();
    try {
      for (Interface iface : cd.iface()) {
        for (InterfaceDescriptor id : iface.altsetting()) {
          int cls = id.bInterfaceClass() & 0xFF;
          boolean stillImage = cls == MtpInterface.STILL_IMAGE_CLASS && id.bInterfaceSubClass() == 1 && id.bInterfaceProtocol() == 1;
          if (!stillImage && cls != MtpInterface.VENDOR_CLASS) continue;
          MtpInterface mtp = endpoints(id);
          if (mtp != null) out.add(new Candidate(mtp, stillImage, id.iInterface() & 0xFF));
        }
      }
    } finally {
      LibUsb.freeConfigDescriptor(cd);
    }
    // a Still Image interface first: it needs no string to be recognised
    out.sort(STILL_IMAGE_FIRST);
    return out;
  }

  /** Still Image interfaces before vendor ones (a class, not a lambda: see {@link io.mtpbridge.host.Cancellation}). */
  private static final Comparator<Candidate> STILL_IMAGE_FIRST = new Comparator<Candidate>() {
    @Override public int compare(Candidate a, Candidate b) { return Boolean.compare(b.stillImage(), a.stillImage()); }
  };

  /** The interface's endpoints if they are exactly MTP's three (attributes compared unmasked, as libmtp does). */
  private static MtpInterface endpoints(InterfaceDescriptor id) {
    EndpointDescriptor[] eps = id.endpoint();
    if (eps.length != 3) return null;
    int bulkIn = -1;
    int bulkOut = -1;
    int interruptIn = -1;
    int bulkPacket = 0;
    int interruptPacket = 0;
    for (EndpointDescriptor ep : eps) {
      int address = ep.bEndpointAddress() & 0xFF;
      int attributes = ep.bmAttributes() & 0xFF;
      boolean in = (address & 0x80) != 0;
      int packet = ep.wMaxPacketSize() & 0x7FF;
      if (attributes == BULK && in) {
        bulkIn = address;
        bulkPacket = packet;
      } else if (attributes == BULK) {
        bulkOut = address;
      } else if (attributes == INTERRUPT && in) {
        interruptIn = address;
        interruptPacket = packet;
      }
    }
    if (bulkIn < 0 || bulkOut < 0 || interruptIn < 0 || bulkPacket == 0) return null;
    return new MtpInterface(id.bInterfaceNumber() & 0xFF, id.bAlternateSetting() & 0xFF, bulkIn, bulkOut, interruptIn,
        bulkPacket, interruptPacket);
  }

  private static String string(DeviceHandle h, byte index) {
    if (index == 0) return "";
    String s = LibUsb.getStringDescriptor(h, index);
    return s == null ? "" : s.strip();
  }

  private static String string(DeviceHandle h, int index) {
    return string(h, (byte) index);
  }

  /** Opens the device found at {@code bus}/{@code address} again (it may have gone since it was listed). */
  private synchronized InitiatorLink open(Found f) throws IOException {
    if (closed) throw new IOException("the USB device list is closed");
    DeviceList list = new DeviceList();
    int n = LibUsb.getDeviceList(context, list);
    if (n < 0) throw new IOException("cannot list USB devices: " + LibUsb.strError(n));
    try {
      for (Device d : list) {
        if (LibUsb.getBusNumber(d) == f.bus && LibUsb.getDeviceAddress(d) == f.address) {
          return LibUsbLink.open(d, f.mtp, f.describe(), f.node(), f.serial);
        }
      }
    } finally {
      LibUsb.freeDeviceList(list, true);
    }
    throw new IOException(f.describe() + " is gone: plug it in again and retry");
  }

  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    LibUsb.exit(context);
  }

  private record Found(LibUsbDeviceSource source, int bus, int address, int vendorId, int productId, String manufacturer,
                       String product, String serial, MtpInterface mtp) implements AttachedDevice {
    @Override public String busAddress() { return String.format(Locale.ROOT, "%03d-%03d", bus, address); }

    String node() { return String.format(Locale.ROOT, "/dev/bus/usb/%03d/%03d", bus, address); }

    String describe() {
      String what = (manufacturer + " " + product).strip();
      return "device " + busAddress() + (what.isEmpty() ? "" : " (" + what + (serial.isEmpty() ? "" : ", serial " + serial) + ")");
    }

    @Override public InitiatorLink open() throws IOException { return source.open(this); }
  }
}
