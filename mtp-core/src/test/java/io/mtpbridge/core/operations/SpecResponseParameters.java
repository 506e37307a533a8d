package io.mtpbridge.core.operations;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the specifications define as the response parameters of every operation mtp-core serves,
 * on success and on failure. Written from the specification texts, not from the handlers:
 * PTP = ISO 15740 / PIMA 15740:2000 clause 10.4 (operation descriptions), MTP = USB MTP 1.1
 * appendix D (operations, including the enhanced ones GetObjectPropList, SetObjectPropList, SendObjectPropList), Android = the android.com extension as
 * AOSP's MtpServer answers it (there is no other definition of 0x95C1..0x95C5).
 *
 * <p>Unless a row says otherwise, a failure carries no parameter: the specifications define
 * response parameters only for the successful outcome, except OpenSession's Session_Already_Open,
 * SetObjectPropList and SendObjectPropList (index of the failed property).
 */
final class SpecResponseParameters {
  private SpecResponseParameters() {}

  /** What one response parameter holds. */
  enum Meaning {
    /** The StorageID the new object is (or will be) stored in. */
    STORAGE_ID,
    /**
     * The parent ObjectHandle of the folder the new object becomes a child of; 0xFFFFFFFF when it
     * is stored in the root of the store (PTP's SendObjectInfo and MTP's SendObjectPropList say so
     * for this response parameter; Android's MtpServer answers 0 instead). The object's ObjectInfo
     * gives ParentObject 0 in the root all the same.
     */
    PARENT_HANDLE,
    /** The ObjectHandle reserved for (or given to) the new object. */
    NEW_HANDLE,
    /** The number of objects (GetNumObjects). */
    NUM_OBJECTS,
    /** Actual number of bytes of the object sent, not counting container headers. */
    BYTES_SENT,
    /** Number of bytes the device took (Android SendPartialObject). */
    BYTES_WRITTEN,
    /** The SessionID of the session that is already open. */
    OPEN_SESSION_ID,
    /** 0-based index of the first element of the ObjectPropList that failed; 0 when no element is at fault. */
    FAILED_INDEX,
    /** The value 0x00000000. */
    ZERO
  }

  /**
   * One operation: what the response carries on OK, and on a failure.
   *
   * @param sessionAlreadyOpen parameters of the Session_Already_Open failure (OpenSession only), else null
   */
  record Row(int code, String name, String source, List<Meaning> ok, List<Meaning> failure,
             List<Meaning> sessionAlreadyOpen) {}

  private static final List<Meaning> NONE = List.of();

  static final List<Row> ROWS = List.of(
      row(0x1001, "GetDeviceInfo", "PTP 10.4.1", NONE, NONE),
      new Row(0x1002, "OpenSession", "PTP 10.4.2: Session_Already_Open carries the open SessionID as the first parameter",
          NONE, NONE, List.of(Meaning.OPEN_SESSION_ID)),
      row(0x1003, "CloseSession", "PTP 10.4.3", NONE, NONE),
      row(0x1004, "GetStorageIDs", "PTP 10.4.4", NONE, NONE),
      row(0x1005, "GetStorageInfo", "PTP 10.4.5", NONE, NONE),
      row(0x1006, "GetNumObjects", "PTP 10.4.6: Response Parameter1 NumObjects", List.of(Meaning.NUM_OBJECTS), NONE),
      row(0x1007, "GetObjectHandles", "PTP 10.4.7", NONE, NONE),
      row(0x1008, "GetObjectInfo", "PTP 10.4.8", NONE, NONE),
      row(0x1009, "GetObject", "PTP 10.4.9", NONE, NONE),
      row(0x100B, "DeleteObject", "PTP 10.4.11", NONE, NONE),
      row(0x100C, "SendObjectInfo", "PTP 10.4.12: StorageID, parent ObjectHandle (0xFFFFFFFF for the root of the store), reserved ObjectHandle",
          List.of(Meaning.STORAGE_ID, Meaning.PARENT_HANDLE, Meaning.NEW_HANDLE), NONE),
      row(0x100D, "SendObject", "PTP 10.4.13", NONE, NONE),
      row(0x1014, "GetDevicePropDesc", "PTP 10.4.20", NONE, NONE),
      row(0x1015, "GetDevicePropValue", "PTP 10.4.21", NONE, NONE),
      row(0x1016, "SetDevicePropValue", "PTP 10.4.22", NONE, NONE),
      row(0x1017, "ResetDevicePropValue", "PTP 10.4.23", NONE, NONE),
      row(0x1019, "MoveObject", "PTP 10.4.25", NONE, NONE),
      row(0x101A, "CopyObject", "PTP 10.4.26: Response Parameter1 ObjectHandle of the new copy", List.of(Meaning.NEW_HANDLE), NONE),
      row(0x101B, "GetPartialObject", "PTP 10.4.27: Response Parameter1 actual number of bytes sent", List.of(Meaning.BYTES_SENT), NONE),
      row(0x9801, "GetObjectPropsSupported", "MTP 1.1 appendix D", NONE, NONE),
      row(0x9802, "GetObjectPropDesc", "MTP 1.1 appendix D", NONE, NONE),
      row(0x9803, "GetObjectPropValue", "MTP 1.1 appendix D", NONE, NONE),
      row(0x9804, "SetObjectPropValue", "MTP 1.1 appendix D", NONE, NONE),
      row(0x9805, "GetObjectPropList", "MTP enhanced operations", NONE, NONE),
      row(0x9806, "SetObjectPropList", "MTP enhanced operations: 0x00000000 on success; on failure the index of the property that failed (0 if none could be set)",
          List.of(Meaning.ZERO), List.of(Meaning.FAILED_INDEX)),
      row(0x9808, "SendObjectPropList", "MTP enhanced operations: StorageID, parent (0xFFFFFFFF for the root), reserved ObjectHandle, [index of failed property]; "
          + "no object is reserved on failure, so the first three are 0 then",
          List.of(Meaning.STORAGE_ID, Meaning.PARENT_HANDLE, Meaning.NEW_HANDLE, Meaning.ZERO),
          List.of(Meaning.ZERO, Meaning.ZERO, Meaning.ZERO, Meaning.FAILED_INDEX)),
      row(0x9810, "GetObjectReferences", "MTP 1.1 appendix D", NONE, NONE),
      row(0x9811, "SetObjectReferences", "MTP 1.1 appendix D", NONE, NONE),
      row(0x95C1, "GetPartialObject64", "Android: Response Parameter1 bytes sent", List.of(Meaning.BYTES_SENT), NONE),
      row(0x95C2, "SendPartialObject", "Android: Response Parameter1 bytes written", List.of(Meaning.BYTES_WRITTEN), NONE),
      row(0x95C3, "TruncateObject", "Android", NONE, NONE),
      row(0x95C4, "BeginEditObject", "Android", NONE, NONE),
      row(0x95C5, "EndEditObject", "Android", NONE, NONE));

  static final Map<Integer, Row> BY_CODE = ROWS.stream().collect(Collectors.toMap(Row::code, Function.identity()));

  private static Row row(int code, String name, String source, List<Meaning> ok, List<Meaning> failure) {
    return new Row(code, name, source, ok, failure, null);
  }
}
