package io.mtpbridge.usb.functionfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a thread of this process is in the kernel, read from /proc: for tests that must act only
 * once a thread is blocked in a system call (a count or a sleep cannot know that).
 */
final class KernelThreads {
  /** read(2)'s number where it is known; otherwise the wait channel is checked instead. */
  private static final int READ = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
    case "amd64", "x86_64" -> 0;
    case "aarch64", "riscv64" -> 63;
    case "arm" -> 3;
    default -> -1;
  };

  private KernelThreads() {}

  /** The kernel's id of the calling thread. */
  static int currentTid() throws IOException {
    String stat = Files.readString(Path.of("/proc/thread-self/stat"));
    return Integer.parseInt(stat.substring(0, stat.indexOf(' ')));
  }

  /** True when thread {@code tid} of this process is asleep inside read(2). */
  static boolean sleepsInRead(int tid) throws IOException {
    Path task = Path.of("/proc/self/task/" + tid);
    try {
      String stat = Files.readString(task.resolve("stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state != 'S') return false;
      if (READ >= 0) {
        String call = Files.readString(task.resolve("syscall")).trim();
        int end = call.indexOf(' ');
        return !call.startsWith("running") && Integer.parseInt(end < 0 ? call : call.substring(0, end)) == READ;
      }
      return Files.readString(task.resolve("wchan")).contains("pipe");
    } catch (NoSuchFileException e) {
      return false; // the thread has ended
    }
  }
}
