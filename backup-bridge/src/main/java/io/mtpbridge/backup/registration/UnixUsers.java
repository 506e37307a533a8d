package io.mtpbridge.backup.registration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Turns user names into numeric uids. The JDK names a socket peer by user name
 * ({@code UnixDomainPrincipal.user().getName()}, from getpwuid) and prints the number only when no
 * name exists, so both forms must map to the number a registration holds. /etc/passwd answers for
 * local users; {@code getent passwd} covers the other NSS sources (LDAP, systemd-userdb).
 */
public final class UnixUsers {
  private static final Path PASSWD = Path.of("/etc/passwd");

  private UnixUsers() {}

  /** The uid for a numeric string or a user name, or empty when nothing knows the name. */
  public static OptionalInt uidOf(String nameOrNumber) {
    if (nameOrNumber.matches("[0-9]{1,10}")) {
      long v = Long.parseLong(nameOrNumber);
      return v <= Integer.MAX_VALUE ? OptionalInt.of((int) v) : OptionalInt.empty();
    }
    if (!nameOrNumber.matches("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}\\$?")) return OptionalInt.empty();
    OptionalInt local = fromPasswd(nameOrNumber);
    return local.isPresent() ? local : fromGetent(nameOrNumber);
  }

  private static OptionalInt fromPasswd(String name) {
    try {
      for (String line : Files.readAllLines(PASSWD, StandardCharsets.UTF_8)) {
        String[] f = line.split(":", -1);
        if (f.length >= 3 && f[0].equals(name) && f[2].matches("[0-9]{1,10}")) return OptionalInt.of(Integer.parseInt(f[2]));
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to getent
    }
    return OptionalInt.empty();
  }

  private static OptionalInt fromGetent(String name) {
    try {
      Process p = new ProcessBuilder("getent", "passwd", name).redirectErrorStream(true).start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return OptionalInt.empty();
      String[] f = out.trim().split(":", -1);
      if (f.length >= 3 && f[0].equals(name) && f[2].matches("[0-9]{1,10}")) return OptionalInt.of(Integer.parseInt(f[2]));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OptionalInt.empty();
  }
}
