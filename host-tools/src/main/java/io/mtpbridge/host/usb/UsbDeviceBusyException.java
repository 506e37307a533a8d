package io.mtpbridge.host.usb;

import java.io.IOException;

/** The MTP interface is claimed by another program (a file manager's gvfs-mtp, another mtpbridge, ...). */
public class UsbDeviceBusyException extends IOException {
  public UsbDeviceBusyException(String message) {
    super(message);
  }

  /** The one line a person sees: what holds the device and what to do. */
  public static UsbDeviceBusyException of(String name, String serial) {
    String gvfs = serial.isEmpty() ? "unmount it in the file manager" : "unmount it in the file manager (gio mount -u mtp://" + serial + "/)";
    return new UsbDeviceBusyException(name + " is busy: another program holds its MTP interface (a file manager's gvfs-mtp,"
        + " another mtpbridge or MTP tool): " + gvfs + " or end that program, then try again");
  }
}
