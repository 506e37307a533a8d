package io.mtpbridge.usb.function;

/**
 * Lifecycle and control callbacks from a {@link UsbFunction} backend, called on the backend's
 * control thread. They must return quickly: long work belongs to the protocol thread.
 */
public interface UsbFunctionListener {
  /** The host selected the configuration: endpoints are usable, at this speed and packet size. */
  void onEnable(UsbSpeed speed, int bulkMaxPacket);

  /** Configuration dropped, cable pulled, or bus reset: pending transfers fail; the session ends. */
  void onDisable();

  void onSuspend();

  void onResume();

  /** The function was unbound from the controller (gadget torn down); a bind may follow. */
  void onUnbind();

  /** A class or vendor request addressed to the function's interface or endpoints. */
  ControlReply onControlRequest(ControlRequest request);
}
