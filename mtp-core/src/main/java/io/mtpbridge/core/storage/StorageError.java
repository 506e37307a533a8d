package io.mtpbridge.core.storage;

/**
 * Why a storage refused a request. The responder maps each to an MTP response code, so a storage
 * never needs to know the protocol's numbers.
 */
public enum StorageError {
  /** The object does not exist (any more). → InvalidObjectHandle */
  NOT_FOUND,
  /** The parent is not a folder, or does not exist. → InvalidParentObject */
  INVALID_PARENT,
  /** The storage, or this part of it, is read-only. → StoreReadOnly */
  READ_ONLY,
  /** The object itself is write-protected. → ObjectWriteProtected */
  WRITE_PROTECTED,
  /** Not enough free space for the announced size. → StoreFull */
  STORE_FULL,
  /** The object is larger than this storage can ever hold. → ObjectTooLarge */
  OBJECT_TOO_LARGE,
  /** The name is not acceptable (separator, NUL, dot names, too long, invalid UTF-16). → InvalidParameter */
  INVALID_NAME,
  /** An object of that name already exists in the target folder. → InvalidParameter */
  ALREADY_EXISTS,
  /** The storage does not offer this capability. → OperationNotSupported */
  NOT_SUPPORTED,
  /** The storage cannot take the request now (e.g. a backup is running). → DeviceBusy */
  BUSY,
  /** The host may not reach this object (path escape, permissions). → AccessDenied */
  ACCESS_DENIED,
  /** A folder that should be empty is not. → PartialDeletion when deleting */
  NOT_EMPTY,
  /** The data phase ended before the announced size (or went past it). → IncompleteTransfer */
  INCOMPLETE,
  /** The object's format is not one this storage accepts. → InvalidObjectFormatCode */
  INVALID_FORMAT,
  /** Any other failure of the underlying medium. → GeneralError */
  IO_FAILURE
}
