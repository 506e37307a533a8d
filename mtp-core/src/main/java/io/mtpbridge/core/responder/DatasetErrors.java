package io.mtpbridge.core.responder;

import io.mtpbridge.core.dataset.MalformedDatasetException;

/** Reads the response code out of a dataset decoding failure. */
final class DatasetErrors {
  private DatasetErrors() {}

  /** The response code a malformed-dataset failure asks for, or null for other exceptions. */
  static Integer responseCodeOf(Exception e) {
    if (e instanceof MalformedDatasetException m) return m.responseCode().value();
    return null;
  }
}
