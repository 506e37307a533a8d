package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.ResponseCode;
import java.io.IOException;

/**
 * Bytes from the host that do not form the dataset or value they claim to be. Carries the
 * response code the responder should answer with, so a handler can turn any decoding failure into a
 * proper MTP response instead of an exception escaping the transaction.
 *
 * <p>Decoders pick the code for the failure they see: a truncated or structurally broken dataset is
 * {@link ResponseCode#INVALID_DATASET}; a value of an unknown or mismatched data type is
 * {@link ResponseCode#INVALID_OBJECT_PROP_FORMAT}; a well-formed but unacceptable value (bad
 * string, bad date) is {@link ResponseCode#INVALID_OBJECT_PROP_VALUE}. A caller decoding in another
 * context (e.g. SetDevicePropValue) re-labels with {@link #withCode}.
 */
public class MalformedDatasetException extends IOException {
  private final ResponseCode responseCode;

  public MalformedDatasetException(ResponseCode responseCode, String message) {
    super(message);
    this.responseCode = responseCode;
  }

  public MalformedDatasetException(ResponseCode responseCode, String message, Throwable cause) {
    super(message, cause);
    this.responseCode = responseCode;
  }

  /** The response the responder should send for this failure. */
  public ResponseCode responseCode() { return responseCode; }

  /** The same failure answered with another response code (the message and cause are kept). */
  public MalformedDatasetException withCode(ResponseCode code) {
    if (code == responseCode) return this;
    return new MalformedDatasetException(code, getMessage(), this);
  }

  static MalformedDatasetException truncated(String what, long needed, int readable) {
    return new MalformedDatasetException(ResponseCode.INVALID_DATASET,
        what + " needs " + needed + " bytes, only " + readable + " arrived");
  }
}
