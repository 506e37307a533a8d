package io.mtpbridge.benchmarks;

import io.mtpbridge.core.code.ObjectFormat;
import io.mtpbridge.core.code.ObjectPropertyCode;
import io.mtpbridge.core.code.ProtectionStatus;
import io.mtpbridge.core.dataset.DateTimeString;
import io.mtpbridge.core.dataset.MalformedDatasetException;
import io.mtpbridge.core.dataset.ObjectPropList;
import io.mtpbridge.core.dataset.PropertyValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of the ObjectPropList a GetObjectPropList (all properties) returns for a
 * folder of {@code objects} files: the twelve properties a file object has (storage, format,
 * protection, 64-bit size, name, dates, parent, 128-bit PUOID, Name, DisplayName, Hidden).
 *
 * <ul>
 *   <li>{@code encodeList}: build the element list from per-object data, then encode it;
 *   <li>{@code encodeStreamed}: what a responder does for a big folder, count then element by element, no list;
 *   <li>{@code decode}: parse the whole encoded dataset (the SetObjectPropList direction).
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m"})
public class ObjectPropListBenchmark {
  private static final int STORAGE = 0x00010001;
  private static final int PARENT = 7;

  @Param({"10000"})
  int objects;

  private String[] names;
  private long[] sizes;
  private String[] modified;
  private ByteBuf encoded;
  private ByteBuf out;

  @Setup(Level.Trial)
  public void setUp() {
    names = new String[objects];
    sizes = new long[objects];
    modified = new String[objects];
    Instant base = Instant.parse("2024-01-31T12:00:00Z");
    for (int i = 0; i < objects; i++) {
      names[i] = String.format("IMG_%05d.jpg", i);
      sizes[i] = 3_000_000L + 7919L * i;
      modified[i] = DateTimeString.local(base.plusSeconds(i * 61L), ZoneOffset.UTC).format();
    }
    encoded = PooledByteBufAllocator.DEFAULT.directBuffer();
    buildList().encode(encoded);
    out = PooledByteBufAllocator.DEFAULT.directBuffer(encoded.readableBytes());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    encoded.release();
    out.release();
  }

  /** Number of properties per file object in this benchmark. */
  static final int PROPERTIES_PER_OBJECT = 12;

  private void elementsOf(int i, List<ObjectPropList.Element> into) {
    int handle = 1000 + i;
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.STORAGE_ID.value(), PropertyValue.uint32Bits(STORAGE)));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.OBJECT_FORMAT.value(), PropertyValue.uint16(ObjectFormat.EXIF_JPEG.value())));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.PROTECTION_STATUS.value(), PropertyValue.uint16(ProtectionStatus.NO_PROTECTION.value())));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.OBJECT_SIZE.value(), PropertyValue.uint64(sizes[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.OBJECT_FILE_NAME.value(), PropertyValue.str(names[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.DATE_CREATED.value(), PropertyValue.str(modified[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.DATE_MODIFIED.value(), PropertyValue.str(modified[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.PARENT_OBJECT.value(), PropertyValue.uint32Bits(PARENT)));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.PERSISTENT_UNIQUE_OBJECT_IDENTIFIER.value(), PropertyValue.uint128(handle, STORAGE)));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.NAME.value(), PropertyValue.str(names[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.DISPLAY_NAME.value(), PropertyValue.str(names[i])));
    into.add(new ObjectPropList.Element(handle, ObjectPropertyCode.HIDDEN.value(), PropertyValue.uint16(0)));
  }

  private ObjectPropList buildList() {
    List<ObjectPropList.Element> elements = new ArrayList<>(objects * PROPERTIES_PER_OBJECT);
    for (int i = 0; i < objects; i++) elementsOf(i, elements);
    return new ObjectPropList(elements);
  }

  @Benchmark
  public int encodeList() {
    out.clear();
    buildList().encode(out);
    return out.writerIndex();
  }

  @Benchmark
  public int encodeStreamed() {
    out.clear();
    ObjectPropList.writeCount((long) objects * PROPERTIES_PER_OBJECT, out);
    List<ObjectPropList.Element> one = new ArrayList<>(PROPERTIES_PER_OBJECT);
    for (int i = 0; i < objects; i++) {
      one.clear();
      elementsOf(i, one);
      for (ObjectPropList.Element e : one) e.encode(out);
    }
    return out.writerIndex();
  }

  @Benchmark
  public int decode() throws MalformedDatasetException {
    return ObjectPropList.decode(encoded.duplicate()).elements().size();
  }
}
