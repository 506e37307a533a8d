package io.mtpbridge.device;

import io.mtpbridge.core.dataset.PtpString;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What mtpd (and the simulated device) check before serving, so that a problem is one clear line
 * at start rather than garbled names or a failing GetDeviceInfo later.
 */
public final class StartupChecks {
  private StartupChecks() {}

  /**
   * Null when file names can be served as they are, else the one-line problem. Java 17 takes the
   * encoding of file names (sun.jnu.encoding) from the locale when the JVM starts, and it cannot be
   * changed afterwards: under the C/POSIX locale "café.jpg" cannot even be named. The shipped
   * mtpd.service sets LC_ALL=C.UTF-8.
   */
  public static String fileNameEncodingProblem(String program) {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    if (isUtf8(jnu)) return null;
    String lcAll = System.getenv("LC_ALL");
    String lang = System.getenv("LANG");
    return "file names need a UTF-8 locale, but this one uses " + (jnu.isEmpty() ? "an unknown encoding" : jnu)
        + " (LC_ALL=" + (lcAll == null ? "" : lcAll) + ", LANG=" + (lang == null ? "" : lang) + "): start " + program
        + " with LC_ALL=C.UTF-8 (mtpd.service does)";
  }

  /** True when the command line asks for the help or the version, which need no file names. */
  public static boolean onlyAsksForHelp(String[] args) {
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return true;
    }
    return false;
  }

  private static boolean isUtf8(String name) {
    try {
      return Charset.forName(name).equals(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return name.toUpperCase(Locale.ROOT).replace("-", "").equals("UTF8");
    }
  }

  /**
   * Refuses ({@link UsageException}) a DeviceInfo or device property string an MTP string cannot
   * hold (over 254 UTF-16 units, or an unpaired surrogate): hosts would get no DeviceInfo at all.
   */
  public static void checkDeviceStrings(MtpdOptions o) throws UsageException {
    check("--manufacturer", o.manufacturer());
    check("--model", o.model());
    check("--serial", o.serial());
    check("--device-version", o.deviceVersion());
    if (o.friendlyName() != null) check("--friendly-name", o.friendlyName());
  }

  private static void check(String option, String value) throws UsageException {
    if (PtpString.isEncodable(value)) return;
    throw new UsageException(option + " is " + value.length() + " UTF-16 units long (or holds an unpaired surrogate);"
        + " an MTP device string holds at most " + PtpString.MAX_CHARS + ": shorten it");
  }
}
