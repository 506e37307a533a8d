package io.mtpbridge.core.property;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.dataset.DateTimeString;
import io.mtpbridge.core.dataset.DeviceTime;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.dataset.PtpString;
import io.mtpbridge.core.responder.MtpOperationException;
import io.mtpbridge.core.responder.ObjectActions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * The object properties every object has: StorageID, ObjectFormat, ProtectionStatus, ObjectSize
 * (UINT64, so objects over 4 GiB report their size), ObjectFileName (settable: renames),
 * DateCreated, DateModified (settable), ParentObject, PersistentUniqueObjectIdentifier, Name,
 * DisplayName, Hidden.
 */
public final class StandardObjectProperties {
  /** Group of the properties a file manager needs to list a folder. */
  public static final int GROUP_LISTING = 1;
  /** Group of the remaining standard properties. */
  public static final int GROUP_DETAILS = 2;

  private StandardObjectProperties() {}

  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  });

  /** Times without an offset are read and written as the device's local time, as Android does (one zone: {@link DeviceTime}). */
  static final ZoneId ZONE = DeviceTime.ZONE;

  public static List<ObjectProperty> all() {
    return List.of(
        prop(ObjectPropertyCode.STORAGE_ID, GROUP_LISTING, o -> PropertyValue.uint32Bits(o.node().storageId())),
        prop(ObjectPropertyCode.OBJECT_FORMAT, GROUP_LISTING, o -> PropertyValue.uint16(o.formatCode())),
        prop(ObjectPropertyCode.PROTECTION_STATUS, GROUP_LISTING, o -> PropertyValue.uint16(o.metadata().writeProtected() ? 1 : 0)),
        prop(ObjectPropertyCode.OBJECT_SIZE, GROUP_LISTING, o -> PropertyValue.uint64(o.metadata().size())),
        new SimpleObjectProperty(ObjectPropertyCode.OBJECT_FILE_NAME.value(), DataType.STR, GROUP_LISTING, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()),
            (ctx, o, v) -> ObjectActions.rename(ctx, o.node(), ((PropertyValue.Str) v).value()), StandardObjectProperties::nameLength),
        new SimpleObjectProperty(ObjectPropertyCode.DATE_CREATED.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_DATE_TIME,
            o -> date(o.metadata().created()), null, o -> dateLength(o.metadata().created())),
        new SimpleObjectProperty(ObjectPropertyCode.DATE_MODIFIED.value(), DataType.STR, GROUP_LISTING, ObjectProperty.FORM_DATE_TIME,
            o -> date(o.metadata().modified()),
            (ctx, o, v) -> ObjectActions.setModified(ctx, o.node(), parseDate(((PropertyValue.Str) v).value())),
            o -> dateLength(o.metadata().modified())),
        prop(ObjectPropertyCode.PARENT_OBJECT, GROUP_LISTING, o -> PropertyValue.uint32Bits(o.node().parentHandle())),
        prop(ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER, GROUP_DETAILS, StandardObjectProperties::puoid),
        new SimpleObjectProperty(ObjectPropertyCode.NAME.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()), null, StandardObjectProperties::nameLength),
        new SimpleObjectProperty(ObjectPropertyCode.DISPLAY_NAME.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()), null, StandardObjectProperties::nameLength),
        prop(ObjectPropertyCode.HIDDEN, GROUP_DETAILS, o -> PropertyValue.uint16(o.metadata().hidden() ? 1 : 0)));
  }

  private static ObjectProperty prop(ObjectPropertyCode code, int group, SimpleObjectProperty.Getter getter) {
    return new SimpleObjectProperty(code.value(), code.dataType(), group, ObjectProperty.FORM_NONE, getter, null);
  }

  private static int nameLength(ObjectView o) { return PtpString.encodedLength(o.metadata().name()); }

  /**
   * Length of {@link #date}'s string without formatting it: "YYYYMMDDThhmmss" plus ".s" when the
   * tenths are not zero (local time carries no offset suffix).
   */
  static int dateLength(Instant t) {
    if (t == null) return EMPTY_LENGTH;
    // Far-off times are clamped by DateTimeString; let it decide there.
    if (t.isBefore(SAFE_MIN) || t.isAfter(SAFE_MAX)) return date(t).encodedLength();
    return t.getNano() / 100_000_000 != 0 ? TENTHS_LENGTH : PLAIN_LENGTH;
  }

  private static final Instant SAFE_MIN = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant SAFE_MAX = Instant.parse("9998-12-31T00:00:00Z");
  private static final int EMPTY_LENGTH = PtpString.encodedLength("");
  private static final int PLAIN_LENGTH = PtpString.encodedLength("20000101T000000");
  private static final int TENTHS_LENGTH = PtpString.encodedLength("20000101T000000.1");

  private static PropertyValue date(Instant t) {
    if (t == null) return EMPTY;
    // The string depends only on the second and the tenths; a folder's objects (and an object's
    // created/modified pair) often share them, so the last few are remembered per thread.
    long key = t.getEpochSecond() * 10 + t.getNano() / 100_000_000;
    DateCache c = DATES.get();
    int slot = (int) (key & (DateCache.SIZE - 1));
    if (c.keys[slot] == key && c.values[slot] != null) return c.values[slot];
    PropertyValue v = PropertyValue.str(DateTimeString.local(t, ZONE).format());
    c.keys[slot] = key;
    c.values[slot] = v;
    return v;
  }

  private static final PropertyValue EMPTY = PropertyValue.str("");

  /** A small direct-mapped cache of formatted times (the zone is fixed for the process). */
  private static final class DateCache {
    static final int SIZE = 64;
    final long[] keys = new long[SIZE];
    final PropertyValue[] values = new PropertyValue[SIZE];
  }

  private static final ThreadLocal<DateCache> DATES = ThreadLocal.withInitial(DateCache::new);

  /** Parses a DateTime the host sent; an invalid one is InvalidObjectPropValue. */
  public static Instant parseDate(String s) throws MtpOperationException {
    try {
      return DateTimeString.parse(s).toInstant(ZONE);
    } catch (MalformedDatasetException e) {
      throw new MtpOperationException(ResponseCode.INVALID_OBJECT_PROP_VALUE.value(), "not a DateTime string: " + s);
    }
  }

  /**
   * 128 bits that identify the object across sessions: a digest of the storage's persistent key
   * (an inode on file systems) or, lacking one, of the storage id and path.
   */
  static PropertyValue puoid(ObjectView o) {
    String key = o.metadata().persistentKey() != null
        ? o.node().storageId() + "#" + o.metadata().persistentKey()
        : o.node().storageId() + ":" + o.node().path();
    {
      byte[] d = DIGEST.get().digest(key.getBytes(StandardCharsets.UTF_8));
      long low = 0;
      long high = 0;
      for (int i = 7; i >= 0; i--) low = (low << 8) | (d[i] & 0xFF);
      for (int i = 15; i >= 8; i--) high = (high << 8) | (d[i] & 0xFF);
      return PropertyValue.uint128(low, high);
    }
  }
}
