package io.mtpbridge.core.dataset;

import java.time.Instant;
import java.time.ZoneId;

/**
 * The one time zone in which the device writes and reads MTP DateTime strings: ObjectInfo's
 * DateCreated/DateModified, the DateCreated/DateModified object properties, and the dates a host
 * sends with a new object or sets. Fixed when the process starts (the JVM's default zone, from
 * TZ or /etc/localtime), so every path shows the same time for the same file.
 *
 * <p>Like Android's responder, strings carry no UTC offset: hosts (Windows, libmtp, gvfs) read them
 * as their own local time. A device left on UTC therefore shows its files on a PC in UTC+2 two
 * hours earlier than they were made; give the device its real time zone (timedatectl
 * set-timezone, or TZ in the service's environment) and restart mtpd.
 */
public final class DeviceTime {
  /** The device's zone for MTP dates. */
  public static final ZoneId ZONE = ZoneId.systemDefault();

  private DeviceTime() {}

  /** {@code t} as a local DateTime string, or "" for no time. */
  public static String format(Instant t) {
    return t == null ? "" : DateTimeString.local(t, ZONE).format();
  }

  /** The instant a DateTime string the host wrote stands for, or null when it wrote none or something unreadable. */
  public static Instant parseOrNull(String s) {
    return DateTimeString.tryParse(s).map(d -> d.toInstant(ZONE)).orElse(null);
  }

  /** The instant a DateTime string stands for; throws on an invalid one. */
  public static Instant parse(String s) throws MalformedDatasetException {
    return DateTimeString.parse(s).toInstant(ZONE);
  }
}
