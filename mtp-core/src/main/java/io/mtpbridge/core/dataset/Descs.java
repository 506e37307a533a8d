package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ResponseCode;

/** Field checks shared by the two property description datasets. */
final class Descs {
  private Descs() {}

  static DataType dataType(int code) throws MalformedDatasetException {
    DataType type = DataType.of(code);
    if (type == null || type == DataType.UNDEF) {
      throw new MalformedDatasetException(ResponseCode.INVALID_OBJECT_PROP_FORMAT, "unknown data type " + DataType.nameOf(code));
    }
    return type;
  }

  static boolean getSet(int flag) throws MalformedDatasetException {
    if (flag > 1) throw new MalformedDatasetException(ResponseCode.INVALID_DATASET, "GetSet flag " + flag + " is neither 0 nor 1");
    return flag == 1;
  }
}
