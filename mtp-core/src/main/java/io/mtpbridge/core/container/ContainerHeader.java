package io.mtpbridge.core.container;

import io.netty.buffer.ByteBuf;

/**
 * The 12-byte header every container starts with: length (header included; 0xFFFFFFFF for a data
 * container of unknown or 4 GiB+ size), type, code, transaction id. Little-endian.
 */
public record ContainerHeader(long length, ContainerType type, int code, int transactionId) {
  public static final int SIZE = 12;
  /** The length field value meaning "unknown; ends with a short packet". */
  public static final long UNKNOWN_LENGTH = 0xFFFFFFFFL;

  /**
   * Checks the fields so that {@link #encode} can only write what {@link #decode} reads back: a
   * length that does not fit the 32-bit field would otherwise be silently truncated on the wire.
   */
  public ContainerHeader {
    java.util.Objects.requireNonNull(type, "type");
    if (length < SIZE || length > UNKNOWN_LENGTH) {
      throw new IllegalArgumentException("container length " + length + " is outside 12..0xFFFFFFFF; use dataHeader for big data phases");
    }
    if ((code & ~0xFFFF) != 0) throw new IllegalArgumentException("container code is not 16-bit: " + code);
  }

  /**
   * The header of a data container carrying {@code payloadLength} bytes: the exact length when it
   * fits in 32 bits, otherwise (4 GiB and more, or -1 = unknown) {@link #UNKNOWN_LENGTH}, which
   * tells the receiver to read until a short packet.
   */
  public static ContainerHeader dataHeader(long payloadLength, int code, int transactionId) {
    long length = payloadLength < 0 || payloadLength >= UNKNOWN_LENGTH - SIZE ? UNKNOWN_LENGTH : SIZE + payloadLength;
    return new ContainerHeader(length, ContainerType.DATA, code, transactionId);
  }

  public boolean hasUnknownLength() { return length == UNKNOWN_LENGTH; }

  /** Payload bytes after the header, or -1 when the length is unknown. */
  public long payloadLength() { return hasUnknownLength() ? -1 : length - SIZE; }

  public void encode(ByteBuf out) {
    out.writeIntLE((int) length);
    out.writeShortLE(type.value());
    out.writeShortLE(code);
    out.writeIntLE(transactionId);
  }

  /**
   * Decodes a header from the first 12 readable bytes of {@code in} (advancing the reader index).
   * Throws {@link MalformedContainerException} if fewer than 12 bytes are readable, the type is
   * unknown, or the length is smaller than a header.
   */
  public static ContainerHeader decode(ByteBuf in) throws MalformedContainerException {
    if (in.readableBytes() < SIZE) {
      throw new MalformedContainerException("container shorter than its 12-byte header: " + in.readableBytes() + " bytes");
    }
    long length = in.readUnsignedIntLE();
    int typeValue = in.readUnsignedShortLE();
    int code = in.readUnsignedShortLE();
    int tid = in.readIntLE();
    ContainerType type = ContainerType.of(typeValue);
    if (type == null) throw new MalformedContainerException("unknown container type " + typeValue);
    if (length < SIZE) throw new MalformedContainerException("container length " + length + " is smaller than its header");
    return new ContainerHeader(length, type, code, tid);
  }
}
