package io.mtpbridge.core.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.OperationCode;
import io.mtpbridge.core.dataset.DeviceTime;
import io.mtpbridge.core.dataset.ObjectInfo;
import io.mtpbridge.core.dataset.PropertyValue;
import io.mtpbridge.core.responder.Fixtures;
import io.mtpbridge.core.responder.TestHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GetObjectInfo and the DateModified property show the same time for the same file, whatever
 * happens to the JVM's default zone after start: there is one zone for MTP dates.
 */
class DeviceTimeTest {
  @TempDir Path dir;

  @Test
  void objectInfoAndPropertiesUseOneZone() throws Exception {
    Path f = Files.writeString(dir.resolve("a.txt"), "a");
    Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-06-01T12:00:00Z")));
    TimeZone before = TimeZone.getDefault();
    try (TestHost h = new TestHost(Fixtures.responder(dir))) {
      h.open();
      int a = h.handles(Fixtures.STORAGE_1, 0, 0xFFFFFFFF)[0];
      String prop1 = ((PropertyValue.Str) PropertyValue.decode(
          h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.DATE_MODIFIED.value())), DataType.STR)).value();
      // something in the process changes the default zone after the device started
      ZoneId other = ZoneId.of(DeviceTime.ZONE.getId().equals("Asia/Kolkata") ? "America/New_York" : "Asia/Kolkata");
      TimeZone.setDefault(TimeZone.getTimeZone(other));
      String info = ObjectInfo.decode(h.ok(h.tx(OperationCode.GET_OBJECT_INFO, a))).dateModified();
      String prop2 = ((PropertyValue.Str) PropertyValue.decode(
          h.ok(h.tx(OperationCode.GET_OBJECT_PROP_VALUE, a, ObjectPropertyCode.DATE_MODIFIED.value())), DataType.STR)).value();
      assertEquals(prop1, prop2);
      assertEquals(prop2, info, "GetObjectInfo and the DateModified property agree");
      assertEquals(DeviceTime.format(Instant.parse("2024-06-01T12:00:00Z")), info);
    } finally {
      TimeZone.setDefault(before);
    }
  }
}
