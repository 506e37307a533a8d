package io.mtpbridge.usb.functionfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls FunctionFS needs and the JDK cannot make: zero-length reads and writes (a
 * ZLP, a control-status ack, a stall), ioctls, and interrupting a thread blocked in one of them.
 * Sizes are {@link NativeLong} so the same mapping works on 32-bit ARM boards.
 *
 * <p>JNA's direct mapping (static native methods bound at class initialisation): every USB
 * transfer is one of these calls, and an interface mapping goes through a generated proxy and
 * reflective argument conversion on each of them (and generates that proxy class at start-up).
 */
final class LibC {
  static {
    Native.register(LibC.class, "c");
  }

  private LibC() {}

  static final int O_RDWR = 2;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;

  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EIO = 5;
  static final int EACCES = 13;
  static final int EBUSY = 16;
  static final int ENODEV = 19;
  static final int EINVAL = 22;
  static final int EPIPE = 32;
  static final int EIDRM = 43;
  static final int EBADMSG = 74;
  static final int ECONNRESET = 104;
  static final int ESHUTDOWN = 108;
  static final int EAGAIN = 11;
  static final int EL2HLT = 51;

  static native int open(String path, int flags) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  static native NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  static native int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

  static native int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

  static native NativeLong pthread_self();

  static native int pthread_kill(NativeLong thread, int signal);

  static native int sigaction(int signal, Pointer act, Pointer oldact) throws LastErrorException;

  static native String strerror(int errnum);
}
