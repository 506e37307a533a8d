package io.mtpbridge.core.dataset;

import io.netty.buffer.ByteBuf;

/**
 * The ObjectInfo dataset: what GetObjectInfo returns and what the host sends with SendObjectInfo.
 * UINT32 handles and ids are held as their raw 32 bits in an {@code int}; sizes as non-negative
 * longs. Dates are kept as the host wrote them (parse with {@link DateTimeString#tryParse}), so an
 * upload never fails over a date format a host invented.
 *
 * <p>ObjectCompressedSize is a UINT32: an object of 4 GiB or more is reported as
 * {@link #SIZE_4GIB_OR_MORE} (0xFFFFFFFF) and its real size travels in the ObjectSize property
 * (UINT64). {@link #wireSize} does that clamping.
 *
 * <p>Decoding accepts a dataset that ends right after the Filename (some initiators omit the
 * trailing dates and keywords): the missing strings read as empty. Any other truncation is
 * {@code InvalidDataset}.
 */
public record ObjectInfo(
    int storageId,
    int objectFormat,
    int protectionStatus,
    long objectCompressedSize,
    int thumbFormat,
    int thumbCompressedSize,
    int thumbPixWidth,
    int thumbPixHeight,
    int imagePixWidth,
    int imagePixHeight,
    int imageBitDepth,
    int parentObject,
    int associationType,
    int associationDesc,
    int sequenceNumber,
    String filename,
    String dateCreated,
    String dateModified,
    String keywords) {

  /** ObjectCompressedSize of an object whose size does not fit in 32 bits. */
  public static final long SIZE_4GIB_OR_MORE = 0xFFFFFFFFL;

  /** Fixed-size part: everything before the Filename string. */
  private static final int FIXED_LENGTH = 52;

  public ObjectInfo {
    Fields.u16(objectFormat, "ObjectFormat");
    Fields.u16(protectionStatus, "ProtectionStatus");
    Fields.u32(objectCompressedSize, "ObjectCompressedSize");
    Fields.u16(thumbFormat, "ThumbFormat");
    Fields.u16(associationType, "AssociationType");
    Fields.str(filename, "Filename");
    Fields.str(dateCreated, "DateCreated");
    Fields.str(dateModified, "DateModified");
    Fields.str(keywords, "Keywords");
  }

  /** The ObjectCompressedSize for an object of {@code size} bytes: the size, or 0xFFFFFFFF at 4 GiB and above. */
  public static long wireSize(long size) {
    if (size < 0) throw new IllegalArgumentException("negative size " + size);
    return Math.min(size, SIZE_4GIB_OR_MORE);
  }

  /** True when ObjectCompressedSize does not give the size (4 GiB or more, or unknown to the host). */
  public boolean sizeExceeds32Bits() { return objectCompressedSize == SIZE_4GIB_OR_MORE; }

  public static Builder builder() { return new Builder(); }

  public int encodedLength() {
    return FIXED_LENGTH + PtpString.encodedLength(filename) + PtpString.encodedLength(dateCreated)
        + PtpString.encodedLength(dateModified) + PtpString.encodedLength(keywords);
  }

  public void encode(ByteBuf out) {
    out.ensureWritable(encodedLength());
    out.writeIntLE(storageId);
    out.writeShortLE(objectFormat);
    out.writeShortLE(protectionStatus);
    out.writeIntLE((int) objectCompressedSize);
    out.writeShortLE(thumbFormat);
    out.writeIntLE(thumbCompressedSize);
    out.writeIntLE(thumbPixWidth);
    out.writeIntLE(thumbPixHeight);
    out.writeIntLE(imagePixWidth);
    out.writeIntLE(imagePixHeight);
    out.writeIntLE(imageBitDepth);
    out.writeIntLE(parentObject);
    out.writeShortLE(associationType);
    out.writeIntLE(associationDesc);
    out.writeIntLE(sequenceNumber);
    PtpString.encode(filename, out);
    PtpString.encode(dateCreated, out);
    PtpString.encode(dateModified, out);
    PtpString.encode(keywords, out);
  }

  public static ObjectInfo decode(ByteBuf in) throws MalformedDatasetException {
    Wire.need(in, FIXED_LENGTH + 1, "ObjectInfo");
    int storageId = in.readIntLE();
    int format = in.readUnsignedShortLE();
    int protection = in.readUnsignedShortLE();
    long size = in.readUnsignedIntLE();
    int thumbFormat = in.readUnsignedShortLE();
    int thumbSize = in.readIntLE();
    int thumbWidth = in.readIntLE();
    int thumbHeight = in.readIntLE();
    int imageWidth = in.readIntLE();
    int imageHeight = in.readIntLE();
    int bitDepth = in.readIntLE();
    int parent = in.readIntLE();
    int associationType = in.readUnsignedShortLE();
    int associationDesc = in.readIntLE();
    int sequence = in.readIntLE();
    String filename = PtpString.decode(in);
    String created = trailingString(in);
    String modified = trailingString(in);
    String keywords = trailingString(in);
    return new ObjectInfo(storageId, format, protection, size, thumbFormat, thumbSize, thumbWidth, thumbHeight,
        imageWidth, imageHeight, bitDepth, parent, associationType, associationDesc, sequence,
        filename, created, modified, keywords);
  }

  private static String trailingString(ByteBuf in) throws MalformedDatasetException {
    return in.isReadable() ? PtpString.decode(in) : "";
  }

  /** Builds an ObjectInfo; every field not set is 0 or the empty string. */
  public static final class Builder {
    private int storageId;
    private int objectFormat;
    private int protectionStatus;
    private long objectCompressedSize;
    private int thumbFormat;
    private int thumbCompressedSize;
    private int thumbPixWidth;
    private int thumbPixHeight;
    private int imagePixWidth;
    private int imagePixHeight;
    private int imageBitDepth;
    private int parentObject;
    private int associationType;
    private int associationDesc;
    private int sequenceNumber;
    private String filename = "";
    private String dateCreated = "";
    private String dateModified = "";
    private String keywords = "";

    private Builder() {}

    public Builder storageId(int v) { storageId = v; return this; }
    public Builder objectFormat(int v) { objectFormat = v; return this; }
    public Builder protectionStatus(int v) { protectionStatus = v; return this; }
    /** Sets ObjectCompressedSize from the real size, clamped to 0xFFFFFFFF at 4 GiB and above. */
    public Builder size(long bytes) { objectCompressedSize = wireSize(bytes); return this; }
    public Builder thumbFormat(int v) { thumbFormat = v; return this; }
    public Builder thumbCompressedSize(int v) { thumbCompressedSize = v; return this; }
    public Builder thumbPixWidth(int v) { thumbPixWidth = v; return this; }
    public Builder thumbPixHeight(int v) { thumbPixHeight = v; return this; }
    public Builder imagePixWidth(int v) { imagePixWidth = v; return this; }
    public Builder imagePixHeight(int v) { imagePixHeight = v; return this; }
    public Builder imageBitDepth(int v) { imageBitDepth = v; return this; }
    public Builder parentObject(int v) { parentObject = v; return this; }
    public Builder associationType(int v) { associationType = v; return this; }
    public Builder associationDesc(int v) { associationDesc = v; return this; }
    public Builder sequenceNumber(int v) { sequenceNumber = v; return this; }
    public Builder filename(String v) { filename = v; return this; }
    public Builder dateCreated(String v) { dateCreated = v; return this; }
    public Builder dateModified(String v) { dateModified = v; return this; }
    public Builder keywords(String v) { keywords = v; return this; }

    public ObjectInfo build() {
      return new ObjectInfo(storageId, objectFormat, protectionStatus, objectCompressedSize, thumbFormat,
          thumbCompressedSize, thumbPixWidth, thumbPixHeight, imagePixWidth, imagePixHeight, imageBitDepth,
          parentObject, associationType, associationDesc, sequenceNumber, filename, dateCreated, dateModified, keywords);
    }
  }
}
