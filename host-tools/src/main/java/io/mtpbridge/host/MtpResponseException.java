package io.mtpbridge.host;

import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.transport.Response;
import java.io.IOException;

/** The device answered an operation with a response code other than OK. */
public class MtpResponseException extends IOException {
  private final int operation;
  private final Response response;

  public MtpResponseException(int operation, Response response) {
    super(OperationCode.nameOf(operation) + " failed: " + ResponseCode.nameOf(response.code())
        + String.format(" (0x%04X)", response.code()));
    this.operation = operation;
    this.response = response;
  }

  public int operation() { return operation; }

  public Response response() { return response; }

  public int responseCode() { return response.code(); }
}
