package io.mtpbridge.core.container;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.core.transport.Event;
import io.mtpbridge.core.transport.Response;
import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes the parameter-carrying containers (command, response, event). Data
 * containers are streamed by the transports: only their header goes through {@link ContainerHeader}.
 */
public final class ContainerCodec {
  /** Largest command/response container: header plus five 32-bit parameters. */
  public static final int MAX_PARAM_CONTAINER = ContainerHeader.SIZE + 5 * 4;

  private ContainerCodec() {}

  public static void encodeCommand(Command c, ByteBuf out) {
    encode(ContainerType.COMMAND, c.code(), c.transactionId(), c.params(), out);
  }

  public static void encodeResponse(Response r, ByteBuf out) {
    encode(ContainerType.RESPONSE, r.code(), r.transactionId(), r.params(), out);
  }

  public static void encodeEvent(Event e, ByteBuf out) {
    encode(ContainerType.EVENT, e.code(), e.transactionId(), e.params(), out);
  }

  private static void encode(ContainerType type, int code, int tid, int[] params, ByteBuf out) {
    new ContainerHeader(ContainerHeader.SIZE + 4L * params.length, type, code, tid).encode(out);
    for (int p : params) out.writeIntLE(p);
  }

  /** Decodes a whole command container (header + parameters) from {@code in}. */
  public static Command decodeCommand(ByteBuf in) throws MalformedContainerException {
    ContainerHeader h = ContainerHeader.decode(in);
    if (h.type() != ContainerType.COMMAND) throw new MalformedContainerException("expected a command container, got " + h.type());
    return new Command(h.code(), h.transactionId(), params(h, in, 5));
  }

  public static Response decodeResponse(ByteBuf in) throws MalformedContainerException {
    ContainerHeader h = ContainerHeader.decode(in);
    if (h.type() != ContainerType.RESPONSE) throw new MalformedContainerException("expected a response container, got " + h.type());
    return new Response(h.code(), h.transactionId(), params(h, in, 5));
  }

  /**
   * Decodes an event container. Some devices pad events to the interrupt packet size, so bytes
   * beyond the declared parameters are ignored.
   */
  public static Event decodeEvent(ByteBuf in) throws MalformedContainerException {
    ContainerHeader h = ContainerHeader.decode(in);
    if (h.type() != ContainerType.EVENT) throw new MalformedContainerException("expected an event container, got " + h.type());
    return new Event(h.code(), h.transactionId(), params(h, in, 3));
  }

  private static int[] params(ContainerHeader h, ByteBuf in, int max) throws MalformedContainerException {
    if (h.hasUnknownLength()) throw new MalformedContainerException(h.type() + " container with unknown length");
    long payload = h.payloadLength();
    if (payload % 4 != 0) throw new MalformedContainerException(h.type() + " payload of " + payload + " bytes is not whole parameters");
    if (payload > 4L * max) throw new MalformedContainerException(h.type() + " with more than " + max + " parameters");
    if (payload > in.readableBytes()) {
      throw new MalformedContainerException(h.type() + " declares " + payload + " payload bytes, " + in.readableBytes() + " arrived");
    }
    int[] params = new int[(int) payload / 4];
    for (int i = 0; i < params.length; i++) params[i] = in.readIntLE();
    return params;
  }
}
