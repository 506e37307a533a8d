package io.mtpbridge.usb.functionfs;

import java.io.IOException;

/** A failed system call, with its errno. */
public class NativeIoException extends IOException {
  private final int errno;

  public NativeIoException(String operation, int errno) {
    super(operation + ": " + describe(errno));
    this.errno = errno;
  }

  public int errno() { return errno; }

  static String describe(int errno) {
    String text;
    try {
      text = LibC.strerror(errno);
    } catch (RuntimeException | LinkageError e) {
      text = null;
    }
    return (text == null ? "error" : text) + " (errno " + errno + ")";
  }
}
