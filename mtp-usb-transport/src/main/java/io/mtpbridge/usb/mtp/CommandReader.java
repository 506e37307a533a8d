package io.mtpbridge.usb.mtp;

import io.mtpbridge.core.transport.Command;
import io.mtpbridge.usb.function.BulkOutEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the next command container from the bulk OUT pipe, skipping what a real host leaves there
 * between commands: stray zero-length packets (libmtp after an OUT container of whole packets,
 * go-mtpfs after small data phases) and the remains of a data phase that was cancelled or that
 * the device refused.
 */
final class CommandReader {
  private static final Logger log = LoggerFactory.getLogger(CommandReader.class);

  private final BulkOutEndpoint out;
  private final ByteBuffer buf;

  CommandReader(BulkOutEndpoint out, int transferSize) {
    this.out = out;
    this.buf = ByteBuffer.allocateDirect(transferSize);
  }

  /**
   * Blocks until a command arrives. Reads one packet at a time while between transfers (so a
   * command is never merged with what follows it); once inside a stray multi-packet transfer it
   * reads large blocks to get through it quickly, and looks for a command in the short packet that
   * ends such a block.
   */
  Command next(int maxPacket) throws IOException {
    boolean insideStray = false;
    long discarded = 0;
    while (true) {
      buf.clear().limit(insideStray ? buf.capacity() : maxPacket);
      int requested = buf.limit();
      int n = out.read(buf);
      if (n == 0) {
        insideStray = false;
        continue;
      }
      boolean transferEnded = n < requested;
      Command command;
      if (!insideStray) {
        command = transferEnded ? CommandPackets.decode(buf, 0, n, false) : null;
      } else {
        int tail = CommandPackets.shortTail(n, maxPacket);
        command = transferEnded && tail > 0 ? CommandPackets.decode(buf, n - tail, tail, true) : null;
        if (command != null) n -= tail;
      }
      if (command != null) {
        if (discarded + (insideStray ? n : 0) > 0) log.debug("skipped {} stray bytes before {}", discarded + (insideStray ? n : 0), command);
        return command;
      }
      discarded += n;
      if (transferEnded) {
        log.warn("discarded {} bytes on the bulk OUT pipe that were not a command container", discarded);
        discarded = 0;
        insideStray = false;
      } else {
        insideStray = true;
      }
    }
  }
}
