package io.mtpbridge.usb.functionfs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few libc calls FunctionFS needs and the JDK cannot make: zero-length reads and writes (a
 * ZLP, a control-status ack, a stall), ioctls, and interrupting a thread blocked in one of them.
 * Sizes are {@link NativeLong} so the same mapping works on 32-bit ARM boards.
 */
interface LibC extends Library {
  LibC INSTANCE = load();

  int O_RDWR = 2;
  int O_NONBLOCK = 0x800;
  int O_CLOEXEC = 0x80000;

  int ENOENT = 2;
  int EINTR = 4;
  int EIO = 5;
  int EACCES = 13;
  int EBUSY = 16;
  int ENODEV = 19;
  int EINVAL = 22;
  int EPIPE = 32;
  int EIDRM = 43;
  int EBADMSG = 74;
  int ECONNRESET = 104;
  int ESHUTDOWN = 108;
  int EAGAIN = 11;
  int EL2HLT = 51;

  int open(String path, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  NativeLong read(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  NativeLong write(int fd, Pointer buf, NativeLong count) throws LastErrorException;

  int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

  int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

  NativeLong pthread_self();

  int pthread_kill(NativeLong thread, int signal);

  int sigaction(int signal, Pointer act, Pointer oldact) throws LastErrorException;

  String strerror(int errnum);

  private static LibC load() {
    return Native.load("c", LibC.class);
  }
}
