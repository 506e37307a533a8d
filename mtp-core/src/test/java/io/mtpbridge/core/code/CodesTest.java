package io.mtpbridge.core.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodesTest {
  @Test
  void operationCodesReadByName() {
    assertEquals("GetObjectInfo", OperationCode.nameOf(0x1008));
    assertSame(OperationCode.GET_OBJECT_INFO, OperationCode.of(0x1008));
    assertEquals("GetPartialObject64", OperationCode.nameOf(0x95C1));
    assertEquals("EndEditObject", OperationCode.nameOf(0x95C5));
    assertEquals("SendObjectPropList", OperationCode.nameOf(0x9808));
    assertEquals("SetObjectReferences", OperationCode.nameOf(0x9811));
    assertEquals("GetStream", OperationCode.nameOf(0x1025));
    assertEquals("GetStorageIDs", OperationCode.GET_STORAGE_IDS.toString());
  }

  @Test
  void unknownCodesPrintAsHex() {
    assertNull(OperationCode.of(0x9A01));
    assertEquals("0x9A01", OperationCode.nameOf(0x9A01));
    assertEquals("0x0000", ResponseCode.nameOf(0));
    assertEquals("0xFFFF", EventCode.nameOf(0xFFFF));
    assertEquals("0x1234", ObjectPropertyCode.nameOf(0x1234));
  }

  @Test
  void responseAndEventValues() {
    assertEquals(0x2001, ResponseCode.OK.value());
    assertEquals(0x201E, ResponseCode.SESSION_ALREADY_OPEN.value());
    assertEquals(0x201F, ResponseCode.TRANSACTION_CANCELLED.value());
    assertEquals(0xA806, ResponseCode.INVALID_DATASET.value());
    assertEquals(0xA809, ResponseCode.OBJECT_TOO_LARGE.value());
    assertEquals(0xA80A, ResponseCode.OBJECT_PROP_NOT_SUPPORTED.value());
    assertEquals(0x4002, EventCode.OBJECT_ADDED.value());
    assertEquals(0x400C, EventCode.STORAGE_INFO_CHANGED.value());
    assertEquals(0xC801, EventCode.OBJECT_PROP_CHANGED.value());
  }

  @Test
  void everyConstantRoundTripsThroughOf() {
    for (OperationCode c : OperationCode.values()) assertSame(c, OperationCode.of(c.value()));
    for (ResponseCode c : ResponseCode.values()) assertSame(c, ResponseCode.of(c.value()));
    for (EventCode c : EventCode.values()) assertSame(c, EventCode.of(c.value()));
    for (ObjectFormat c : ObjectFormat.values()) assertSame(c, ObjectFormat.of(c.value()));
    for (ObjectPropertyCode c : ObjectPropertyCode.values()) assertSame(c, ObjectPropertyCode.of(c.value()));
    for (DevicePropertyCode c : DevicePropertyCode.values()) assertSame(c, DevicePropertyCode.of(c.value()));
    for (DataType c : DataType.values()) assertSame(c, DataType.of(c.value()));
    for (PropertyFormType c : PropertyFormType.values()) assertSame(c, PropertyFormType.of(c.value()));
  }

  @Test
  void objectPropertiesCarryTheirDataType() {
    assertEquals(DataType.UINT64, ObjectPropertyCode.OBJECT_SIZE.dataType());
    assertEquals(DataType.UINT128, ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER.dataType());
    assertEquals(DataType.STR, ObjectPropertyCode.OBJECT_FILE_NAME.dataType());
    assertEquals(DataType.STR, ObjectPropertyCode.DATE_MODIFIED.dataType());
    assertEquals(DataType.UINT32, ObjectPropertyCode.PARENT_OBJECT.dataType());
    assertEquals(DataType.UINT16, ObjectPropertyCode.HIDDEN.dataType());
    assertEquals(0xDC41, ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER.value());
    assertEquals(0xDCE0, ObjectPropertyCode.DISPLAY_NAME.value());
    assertEquals(DataType.STR, DevicePropertyCode.DEVICE_FRIENDLY_NAME.dataType());
    assertEquals(0xD402, DevicePropertyCode.DEVICE_FRIENDLY_NAME.value());
    assertEquals(DataType.UINT32, DevicePropertyCode.PERCEIVED_DEVICE_TYPE.dataType());
  }

  @Test
  void dataTypeSizesAndArrays() {
    assertEquals(16, DataType.UINT128.size());
    assertEquals(1, DataType.INT8.size());
    assertTrue(DataType.AUINT16.isArray());
    assertFalse(DataType.STR.isArray());
    assertSame(DataType.UINT16, DataType.AUINT16.elementType());
    assertSame(DataType.AINT128, DataType.INT128.arrayType());
    assertTrue(DataType.INT64.isSigned());
    assertFalse(DataType.UINT64.isSigned());
    assertTrue(DataType.AINT8.isSigned());
  }

  @Test
  void theRememberedExtensionAnswersAsTheMapDoes() {
    // forFileName remembers the last ASCII extension: asking in any order and case must answer as
    // a fresh lookup of the lower-cased extension would
    String[] names = {"a.jpg", "b.JPG", "c.Jpg", "d.jpgx", "e.jp", "f.tif", "g.t\u0131f", "h.TIF", "i.\u212Apg",
        "j.jpg", "k.JPEG", "l.mp3", "m.MP3.jpg", "n.jpg.MP3", "o.\u00e9", "p.\u00c9", "q.\u00e9"};
    for (int round = 0; round < 3; round++) {
      for (String n : names) {
        String ext = n.substring(n.lastIndexOf('.') + 1);
        assertSame(ObjectFormat.forExtension(ext), ObjectFormat.forFileName(n), n);
      }
    }
    assertSame(ObjectFormat.UNDEFINED, ObjectFormat.forFileName("g.t\u0131f"), "a dotless i is not an i");
    assertSame(ObjectFormat.EXIF_JPEG, ObjectFormat.forFileName("b.JPG"));
  }

  @Test
  void formatsFromFileNames() {
    assertSame(ObjectFormat.EXIF_JPEG, ObjectFormat.forFileName("IMG_0001.JPG"));
    assertSame(ObjectFormat.EXIF_JPEG, ObjectFormat.forFileName("a.jpeg"));
    assertSame(ObjectFormat.PNG, ObjectFormat.forFileName("x.png"));
    assertSame(ObjectFormat.MP3, ObjectFormat.forFileName("song.mp3"));
    assertSame(ObjectFormat.MP4_CONTAINER, ObjectFormat.forFileName("clip.mp4"));
    assertSame(ObjectFormat.MS_WORD_DOCUMENT, ObjectFormat.forFileName("cv.docx"));
    assertSame(ObjectFormat.TEXT, ObjectFormat.forFileName("notes.txt"));
    assertSame(ObjectFormat.TIFF, ObjectFormat.forFileName("scan.tif"));
    assertSame(ObjectFormat.UNDEFINED, ObjectFormat.forFileName("Makefile"));
    assertSame(ObjectFormat.UNDEFINED, ObjectFormat.forFileName("trailing."));
    assertSame(ObjectFormat.UNDEFINED, ObjectFormat.forFileName("paper.pdf"));
    assertTrue(ObjectFormat.ASSOCIATION.isAssociation());
    assertTrue(ObjectFormat.isAssociation(0x3001));
    assertFalse(ObjectFormat.UNDEFINED.isAssociation());
    assertEquals(0x3000, ObjectFormat.UNDEFINED.value());
    assertEquals(ObjectFormat.Category.AUDIO, ObjectFormat.FLAC.category());
  }

  @Test
  void storageEnums() {
    assertEquals(0x0003, StorageType.FIXED_RAM.value());
    assertEquals(0x0002, FilesystemType.GENERIC_HIERARCHICAL.value());
    assertEquals(0x0001, AccessCapability.READ_ONLY_WITHOUT_OBJECT_DELETION.value());
    assertEquals(0x0001, AssociationType.GENERIC_FOLDER.value());
    assertEquals(0x0001, ProtectionStatus.READ_ONLY.value());
    assertEquals(0xFF, PropertyFormType.LONG_STRING.value());
    assertEquals(0x06, PropertyFormType.BYTE_ARRAY.value());
  }
}
