package io.mtpbridge.usb.functionfs;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Wakes a thread blocked in a FunctionFS read(2)/write(2). The kernel sleeps interruptibly there
 * and, when a signal arrives, dequeues the USB request and returns EINTR; that is the only way to
 * take back an IN transfer the host stopped reading, or an OUT read the host will never satisfy.
 *
 * <p>The signal is the one the JDK itself uses to interrupt blocking NIO calls (SIGRTMAX-2 on
 * Linux), whose handler does nothing and is installed without SA_RESTART. Sending a signal with
 * no handler would kill the process, so {@link #ensureReady()} checks the handler is in place.
 */
final class ThreadInterrupter {
  /** __SIGRTMAX - 2, as in OpenJDK's sun.nio.ch.NativeThread on Linux. */
  static final int SIGNAL = 64 - 2;
  private static final Object LOCK = new Object();
  private static boolean ready;

  private ThreadInterrupter() {}

  static void ensureReady() throws IOException {
    synchronized (LOCK) {
      if (ready) return;
      try {
        Class.forName("sun.nio.ch.NativeThread", true, null);
      } catch (ClassNotFoundException | LinkageError e) {
        // fall through: a FileChannel read initialises it as well
      }
      try (FileChannel ch = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ)) {
        ch.read(java.nio.ByteBuffer.allocate(1));
      }
      Memory old = new Memory(512);
      old.clear();
      LibC.sigaction(SIGNAL, null, old);
      long handler = Native.POINTER_SIZE == 8 ? old.getLong(0) : old.getInt(0) & 0xFFFFFFFFL;
      if (handler == 0 /* SIG_DFL */ || handler == 1 /* SIG_IGN */) {
        throw new IOException("the JVM did not install its I/O interrupt signal handler (signal " + SIGNAL
            + "); blocked USB transfers could not be aborted. Use an OpenJDK-based JVM on Linux.");
      }
      ready = true;
    }
  }

  static NativeLong currentThread() { return LibC.pthread_self(); }

  static void interrupt(NativeLong thread) { LibC.pthread_kill(thread, SIGNAL); }
}
