package io.mtpbridge.core.responder;

import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.core.storage.StorageError;

/** Maps a storage's protocol-neutral refusal to the MTP response code a host understands. */
public final class ErrorCodes {
  private ErrorCodes() {}

  public static int forStorageError(StorageError e) {
    ResponseCode c = switch (e) {
      case NOT_FOUND -> ResponseCode.INVALID_OBJECT_HANDLE;
      case INVALID_PARENT -> ResponseCode.INVALID_PARENT_OBJECT;
      case READ_ONLY -> ResponseCode.STORE_READ_ONLY;
      case WRITE_PROTECTED -> ResponseCode.OBJECT_WRITE_PROTECTED;
      case STORE_FULL -> ResponseCode.STORE_FULL;
      case OBJECT_TOO_LARGE -> ResponseCode.OBJECT_TOO_LARGE;
      case INVALID_NAME, ALREADY_EXISTS -> ResponseCode.INVALID_PARAMETER;
      case NOT_SUPPORTED -> ResponseCode.OPERATION_NOT_SUPPORTED;
      case BUSY -> ResponseCode.DEVICE_BUSY;
      case ACCESS_DENIED -> ResponseCode.ACCESS_DENIED;
      case NOT_EMPTY -> ResponseCode.PARTIAL_DELETION;
      case INCOMPLETE -> ResponseCode.INCOMPLETE_TRANSFER;
      case INVALID_FORMAT -> ResponseCode.INVALID_OBJECT_FORMAT_CODE;
      case IO_FAILURE -> ResponseCode.GENERAL_ERROR;
    };
    return c.value();
  }
}
