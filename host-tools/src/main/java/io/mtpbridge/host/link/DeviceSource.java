package io.mtpbridge.host.link;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Where MTP devices come from: real USB (usb4java) for the PC tool, the simulator's virtual port
 * in tests. The list is read anew on every call (devices come and go).
 */
public interface DeviceSource extends Closeable {
  List<AttachedDevice> devices() throws IOException;

  @Override
  default void close() throws IOException {}
}
