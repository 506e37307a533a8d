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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

  /** Times without an offset are read and written as the device's local time, as Android does (one zone: {@link DeviceTime}). */
  static final ZoneId ZONE = DeviceTime.ZONE;

  public static List<ObjectProperty> all() {
    return List.of(
        prop(ObjectPropertyCode.STORAGE_ID, GROUP_LISTING, o -> PropertyValue.uint32Bits(o.node().storageId()),
            (o, out) -> out.writeIntLE(o.node().storageId())),
        prop(ObjectPropertyCode.OBJECT_FORMAT, GROUP_LISTING, o -> PropertyValue.uint16(o.formatCode()),
            (o, out) -> out.writeShortLE(uint16(o.formatCode()))),
        prop(ObjectPropertyCode.PROTECTION_STATUS, GROUP_LISTING, o -> PropertyValue.uint16(o.metadata().writeProtected() ? 1 : 0),
            (o, out) -> out.writeShortLE(o.metadata().writeProtected() ? 1 : 0)),
        prop(ObjectPropertyCode.OBJECT_SIZE, GROUP_LISTING, o -> PropertyValue.uint64(o.metadata().size()),
            (o, out) -> out.writeLongLE(o.metadata().size())),
        new SimpleObjectProperty(ObjectPropertyCode.OBJECT_FILE_NAME.value(), DataType.STR, GROUP_LISTING, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()),
            (ctx, o, v) -> ObjectActions.rename(ctx, o.node(), ((PropertyValue.Str) v).value()), StandardObjectProperties::nameLength,
            StandardObjectProperties::writeName),
        new SimpleObjectProperty(ObjectPropertyCode.DATE_CREATED.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_DATE_TIME,
            o -> date(o.metadata().dateCreated()), null, o -> dateLength(o.metadata().dateCreated()),
            (o, out) -> writeDate(o.metadata().dateCreated(), out)),
        new SimpleObjectProperty(ObjectPropertyCode.DATE_MODIFIED.value(), DataType.STR, GROUP_LISTING, ObjectProperty.FORM_DATE_TIME,
            o -> date(o.metadata().modified()),
            (ctx, o, v) -> ObjectActions.setModified(ctx, o.node(), parseDate(((PropertyValue.Str) v).value())),
            o -> dateLength(o.metadata().modified()),
            (o, out) -> writeDate(o.metadata().modified(), out)),
        prop(ObjectPropertyCode.PARENT_OBJECT, GROUP_LISTING, o -> PropertyValue.uint32Bits(o.node().parentHandle()),
            (o, out) -> out.writeIntLE(o.node().parentHandle())),
        prop(ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER, GROUP_DETAILS, StandardObjectProperties::puoid,
            StandardObjectProperties::writePuoid),
        new SimpleObjectProperty(ObjectPropertyCode.NAME.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()), null, StandardObjectProperties::nameLength, StandardObjectProperties::writeName),
        new SimpleObjectProperty(ObjectPropertyCode.DISPLAY_NAME.value(), DataType.STR, GROUP_DETAILS, ObjectProperty.FORM_NONE,
            o -> PropertyValue.str(o.metadata().name()), null, StandardObjectProperties::nameLength, StandardObjectProperties::writeName),
        prop(ObjectPropertyCode.HIDDEN, GROUP_DETAILS, o -> PropertyValue.uint16(o.metadata().hidden() ? 1 : 0),
            (o, out) -> out.writeShortLE(o.metadata().hidden() ? 1 : 0)));
  }

  /**
   * A property with a getter (GetObjectPropValue, the descriptions) and a writer of the same bytes
   * for GetObjectPropList, which asks every property of every object of a folder: the writers
   * build no value object, so a listing of 100,000 files does not make 1.2 million of them.
   */
  private static ObjectProperty prop(ObjectPropertyCode code, int group, SimpleObjectProperty.Getter getter, SimpleObjectProperty.Writer writer) {
    return new SimpleObjectProperty(code.value(), code.dataType(), group, ObjectProperty.FORM_NONE, getter, null, null, writer);
  }

  /** {@code v} checked as {@link PropertyValue#uint16} checks it. */
  private static int uint16(int v) {
    if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException(v + " is out of range for UINT16");
    return v;
  }

  private static void writeName(ObjectView o, ByteBuf out) { PtpString.encode(o.metadata().name(), out); }

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

  private static PropertyValue date(Instant t) { return t == null ? EMPTY : formatted(t).value; }

  private static void writeDate(Instant t, ByteBuf out) {
    if (t == null) EMPTY.encode(out);
    else out.writeBytes(formatted(t).encoded);
  }

  private static final PropertyValue EMPTY = PropertyValue.str("");

  /**
   * {@code t} as a DateTime string value and its encoded bytes. The string depends only on the
   * second and the tenths; a folder's objects (and an object's created/modified pair) often share
   * them, so the last few are remembered in a small direct-mapped cache (the zone is fixed for the
   * process). Entries are immutable: threads share the cache without locking, at worst formatting
   * a time twice.
   */
  private static FormattedDate formatted(Instant t) {
    long key = t.getEpochSecond() * 10 + t.getNano() / 100_000_000;
    int slot = (int) (key & (DATES.length - 1));
    FormattedDate d = DATES[slot];
    if (d != null && d.key == key) return d;
    d = new FormattedDate(key, PropertyValue.str(DateTimeString.local(t, ZONE).format()));
    DATES[slot] = d;
    return d;
  }

  private static final FormattedDate[] DATES = new FormattedDate[64];

  private static final class FormattedDate {
    final long key;
    final PropertyValue value;
    final byte[] encoded;

    FormattedDate(long key, PropertyValue value) {
      this.key = key;
      this.value = value;
      ByteBuf b = Unpooled.buffer(value.encodedLength());
      value.encode(b);
      this.encoded = new byte[b.readableBytes()];
      b.readBytes(encoded);
    }
  }

  /** Parses a DateTime the host sent; an invalid one is InvalidObjectPropValue. */
  public static Instant parseDate(String s) throws MtpOperationException {
    try {
      return DateTimeString.parse(s).toInstant(ZONE);
    } catch (MalformedDatasetException e) {
      throw new MtpOperationException(ResponseCode.INVALID_OBJECT_PROP_VALUE.value(), "not a DateTime string: " + s);
    }
  }

  /**
   * 128 bits that identify the object across sessions: a hash of the storage's persistent key (an
   * inode on file systems) or, lacking one, of the storage id and path. Two independent 64-bit
   * hashes of the key: a listing answers one for every object, and a cryptographic digest (it was
   * SHA-256) cost more than all other properties of the object together, for no gain (the key
   * is not secret and collisions need 2^64 objects).
   */
  static PropertyValue puoid(ObjectView o) { return PropertyValue.uint128(puoidHalf(o, false), puoidHalf(o, true)); }

  /** {@link #puoid}'s bytes (low half first), without building the value. */
  private static void writePuoid(ObjectView o, ByteBuf out) {
    out.writeLongLE(puoidHalf(o, false));
    out.writeLongLE(puoidHalf(o, true));
  }

  private static long puoidHalf(ObjectView o, boolean high) {
    String key = o.metadata().persistentKey();
    CharSequence s = key != null ? key : o.node().path().toString();
    long salt = key != null ? 1 : 2;
    return hash(s, o.node().storageId(), high ? salt * 0xC2B2AE3D27D4EB4FL + 1 : salt * 0x9E3779B97F4A7C15L);
  }

  private static long hash(CharSequence s, int storage, long seed) {
    long h = seed ^ (storage * 0xFF51AFD7ED558CCDL);
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001B3L + 0x9E3779B97F4A7C15L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    return h ^ (h >>> 33);
  }
}
