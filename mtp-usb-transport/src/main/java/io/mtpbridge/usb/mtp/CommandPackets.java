package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.container.ContainerCodec;
import io.mtpbridge.core.container.ContainerHeader;
import io.mtpbridge.core.container.ContainerType;
import io.mtpbridge.core.container.MalformedContainerException;
import io.mtpbridge.core.transport.Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/** Recognising a command container in bytes that arrived on the bulk OUT pipe. */
final class CommandPackets {
  static final int MAX_COMMAND = ContainerCodec.MAX_PARAM_CONTAINER;

  private CommandPackets() {}

  /**
   * The command in {@code length} bytes of {@code buf} starting at {@code offset}, or null when
   * they are not one well-formed command container. With {@code exact} the container must fill the
   * region; otherwise trailing bytes after the declared length are tolerated.
   */
  static Command decode(ByteBuffer buf, int offset, int length, boolean exact) {
    if (length < ContainerHeader.SIZE || length > (exact ? MAX_COMMAND : Integer.MAX_VALUE)) return null;
    ByteBuffer region = buf.duplicate();
    region.limit(offset + length).position(offset);
    ByteBuf in = Unpooled.wrappedBuffer(region);
    long declared = in.getUnsignedIntLE(0);
    if (in.getUnsignedShortLE(4) != ContainerType.COMMAND.value()) return null;
    if (declared > length || (exact && declared != length)) return null;
    try {
      return ContainerCodec.decodeCommand(in.slice(0, (int) declared));
    } catch (MalformedContainerException e) {
      return null;
    }
  }

  /** The last packet of a transfer of {@code count} bytes, when it was short (0 for a ZLP or whole packets). */
  static int shortTail(int count, int maxPacket) { return count % maxPacket; }
}
