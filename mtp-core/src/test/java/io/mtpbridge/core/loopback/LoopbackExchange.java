package io.mtpbridge.core.loopback;

import io.mtpbridge.core.transport.Response;

/**
 * The outcome of a {@link LoopbackRequest}.
 *
 * @param response the response, or null when the transaction was cancelled or reset
 * @param data the device's data phase when it was captured (no sink given), else null
 * @param dataPhase true when the device opened a data phase toward the host
 * @param announcedLength the length the device announced for its data phase (-1 = 0xFFFFFFFF)
 * @param bytesFromDevice bytes the device sent in its data phase
 * @param bytesToDevice bytes of the host's data phase the device consumed (read, or drained by closing)
 * @param cancelled the host's cancel took effect
 * @param reset the host's reset took effect
 */
public record LoopbackExchange(Response response, byte[] data, boolean dataPhase, long announcedLength,
                               long bytesFromDevice, long bytesToDevice, boolean cancelled, boolean reset) {

  /** The response code, or -1 when there was no response. */
  public int code() { return response == null ? -1 : response.code(); }

  public int param(int i) { return response.param(i); }
}
