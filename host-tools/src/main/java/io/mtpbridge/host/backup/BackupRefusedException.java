package io.mtpbridge.host.backup;

import io.mtpbridge.backup.protocol.BackupOperationCode;
import io.mtpbridge.backup.protocol.BackupResponseCode;
import io.mtpbridge.core.code.ResponseCode;
import io.mtpbridge.host.MtpResponseException;
import io.mtpbridge.core.transport.Response;

/**
 * A backup operation the device refused, with the extension's advice for its vendor response
 * codes (0xAA01..) and the standard meaning otherwise.
 */
public class BackupRefusedException extends MtpResponseException {
  private final String text;

  public BackupRefusedException(int operation, Response response) {
    super(operation, response);
    BackupOperationCode op = BackupOperationCode.of(operation);
    BackupResponseCode vendor = BackupResponseCode.of(response.code());
    String name = vendor != null ? vendor.name() : ResponseCode.nameOf(response.code());
    String advice = vendor != null ? vendor.advice() : standardAdvice(response.code());
    text = (op != null ? op.displayName() : String.format("0x%04X", operation)) + " refused: " + name
        + String.format(" (0x%04X)", response.code()) + (advice.isEmpty() ? "" : ": " + advice);
  }

  /** The vendor code, or null for a standard response code. */
  public BackupResponseCode vendorCode() { return BackupResponseCode.of(responseCode()); }

  @Override public String getMessage() { return text; }

  private static String standardAdvice(int code) {
    if (code == ResponseCode.STORE_FULL.value()) return "the device's backup staging space is full; free space on the device or back up fewer owners";
    if (code == ResponseCode.INVALID_PARAMETER.value()) return "the device did not accept the request (unknown volume or session)";
    if (code == ResponseCode.OPERATION_NOT_SUPPORTED.value()) return "the device does not serve backups";
    if (code == ResponseCode.SESSION_NOT_OPEN.value()) return "no MTP session is open";
    if (code == ResponseCode.INCOMPLETE_TRANSFER.value()) return "the transfer was cut short";
    return "";
  }
}
