package io.mtpbridge.core.dataset;

import io.mtpbridge.core.code.DataType;
import io.mtpbridge.core.code.ObjectPropertyCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of valid datasets, for round-trip properties and as seeds for mutation fuzzing. */
final class DatasetArbitraries {
  private DatasetArbitraries() {}

  static final List<DataType> VALUE_TYPES =
      Arrays.stream(DataType.values()).filter(t -> t != DataType.UNDEF).toList();

  /** Text a PTP string can hold: any BMP char but NUL and lone surrogates, plus surrogate pairs. */
  static Arbitrary<String> ptpStrings() {
    Arbitrary<String> ascii = Arbitraries.chars().range(' ', '~').map(String::valueOf);
    Arbitrary<String> bmp = Arbitraries.chars().filter(c -> c != 0 && !Character.isSurrogate(c)).map(String::valueOf);
    Arbitrary<String> astral = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
    Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(6, ascii), Tuple.of(3, bmp), Tuple.of(1, astral));
    return piece.list().ofMaxSize(140).map(pieces -> {
      StringBuilder sb = new StringBuilder();
      for (String p : pieces) {
        if (sb.length() + p.length() > PtpString.MAX_CHARS) break;
        sb.append(p);
      }
      return sb.toString();
    });
  }

  static Arbitrary<Integer> u16() { return Arbitraries.integers().between(0, 0xFFFF); }

  static Arbitrary<Integer> u32Bits() { return Arbitraries.integers(); }

  static Arbitrary<Long> u32() { return Arbitraries.longs().between(0, 0xFFFFFFFFL); }

  static Arbitrary<int[]> u16Array() {
    return u16().list().ofMaxSize(40).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A scalar element value of {@code t} (≤ 64 bits) as held in {@link PropertyValue.Int}. */
  static Arbitrary<Long> scalarOf(DataType t) {
    return switch (t) {
      case INT8 -> Arbitraries.longs().between(Byte.MIN_VALUE, Byte.MAX_VALUE);
      case UINT8 -> Arbitraries.longs().between(0, 0xFF);
      case INT16 -> Arbitraries.longs().between(Short.MIN_VALUE, Short.MAX_VALUE);
      case UINT16 -> Arbitraries.longs().between(0, 0xFFFF);
      case INT32 -> Arbitraries.longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE);
      case UINT32 -> Arbitraries.longs().between(0, 0xFFFFFFFFL);
      case INT64, UINT64 -> Arbitraries.longs();
      default -> throw new IllegalArgumentException(t.toString());
    };
  }

  static Arbitrary<PropertyValue> valueOf(DataType t) {
    if (t == DataType.STR) return ptpStrings().map(PropertyValue::str);
    if (t == DataType.INT128 || t == DataType.UINT128) {
      return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((lo, hi) -> new PropertyValue.Int128(t, lo, hi));
    }
    if (t.isArray()) {
      DataType e = t.elementType();
      Arbitrary<Long> element = e.size() == 16 ? Arbitraries.longs() : scalarOf(e);
      int perElement = e.size() == 16 ? 2 : 1;
      return element.list().ofMaxSize(24).map(list -> {
        List<Long> words = new ArrayList<>(list);
        if (perElement == 2 && words.size() % 2 != 0) words.remove(words.size() - 1);
        return PropertyValue.array(t, words.stream().mapToLong(Long::longValue).toArray());
      });
    }
    return scalarOf(t).map(v -> new PropertyValue.Int(t, v));
  }

  static Arbitrary<DataType> valueTypes() { return Arbitraries.of(VALUE_TYPES); }

  // Built once: arbitraries created inside flatMap would be rebuilt (edge cases included) for
  // every try, which makes long fuzz runs slow and memory-hungry.
  private static final Arbitrary<PropertyValue> ANY_VALUE =
      Arbitraries.oneOf(VALUE_TYPES.stream().map(DatasetArbitraries::valueOf).toList());

  static Arbitrary<PropertyValue> anyValue() { return ANY_VALUE; }

  static Arbitrary<PropertyForm> objectFormFor(DataType t) {
    List<Arbitrary<PropertyForm>> forms = new ArrayList<>();
    forms.add(Arbitraries.just(PropertyForm.None.INSTANCE));
    forms.add(Combinators.combine(valueOf(t), valueOf(t), valueOf(t)).as(PropertyForm.Range::new));
    forms.add(valueOf(t).list().ofMaxSize(8).map(PropertyForm.Enumeration::new));
    if (t == DataType.STR) {
      forms.add(Arbitraries.just(PropertyForm.DateTime.INSTANCE));
      forms.add(ptpStrings().map(PropertyForm.RegularExpression::new));
    }
    if (t.isArray()) forms.add(u16().map(PropertyForm.FixedLengthArray::new));
    if (t == DataType.AUINT8 || t == DataType.AINT8) forms.add(u16().map(PropertyForm.ByteArray::new));
    if (t == DataType.AUINT16) forms.add(u32().map(PropertyForm.LongString::new));
    return Arbitraries.oneOf(forms);
  }

  static Arbitrary<PropertyForm> deviceFormFor(DataType t) {
    return Arbitraries.oneOf(
        Arbitraries.just(PropertyForm.None.INSTANCE),
        Combinators.combine(valueOf(t), valueOf(t), valueOf(t)).as(PropertyForm.Range::new),
        valueOf(t).list().ofMaxSize(8).map(PropertyForm.Enumeration::new));
  }

  private static final Arbitrary<ObjectPropDesc> OBJECT_PROP_DESCS = Arbitraries.oneOf(VALUE_TYPES.stream()
      .map(t -> Combinators.combine(u16(), Arbitraries.of(true, false), valueOf(t), u32Bits(), objectFormFor(t))
          .as((code, w, def, group, form) -> new ObjectPropDesc(code, t, w, def, group, form)))
      .toList());

  static Arbitrary<ObjectPropDesc> objectPropDescs() { return OBJECT_PROP_DESCS; }

  private static final Arbitrary<DevicePropDesc> DEVICE_PROP_DESCS = Arbitraries.oneOf(VALUE_TYPES.stream()
      .map(t -> Combinators.combine(u16(), Arbitraries.of(true, false), valueOf(t), valueOf(t), deviceFormFor(t))
          .as((code, w, def, cur, form) -> new DevicePropDesc(code, t, w, def, cur, form)))
      .toList());

  static Arbitrary<DevicePropDesc> devicePropDescs() { return DEVICE_PROP_DESCS; }

  static Arbitrary<DeviceInfo> deviceInfos() {
    Arbitrary<String> s = ptpStrings();
    var head = Combinators.combine(u16(), u32Bits(), u16(), s, u16(), u16Array(), u16Array(), u16Array()).as(net.jqwik.api.Tuple::of);
    var tail = Combinators.combine(u16Array(), u16Array(), s, s, s, s).as(net.jqwik.api.Tuple::of);
    return Combinators.combine(head, tail).as((h, t) -> new DeviceInfo(h.get1(), h.get2(), h.get3(), h.get4(), h.get5(),
        h.get6(), h.get7(), h.get8(), t.get1(), t.get2(), t.get3(), t.get4(), t.get5(), t.get6()));
  }

  static Arbitrary<StorageInfo> storageInfos() {
    return Combinators.combine(u16(), u16(), u16(), Arbitraries.longs(), Arbitraries.longs(), u32(), ptpStrings(), ptpStrings())
        .as(StorageInfo::new);
  }

  static Arbitrary<ObjectInfo> objectInfos() {
    Arbitrary<String> s = ptpStrings();
    var a = Combinators.combine(u32Bits(), u16(), u16(), u32(), u16(), u32Bits(), u32Bits(), u32Bits()).as(net.jqwik.api.Tuple::of);
    var b = Combinators.combine(u32Bits(), u32Bits(), u32Bits(), u32Bits(), u16(), u32Bits(), u32Bits(), s).as(net.jqwik.api.Tuple::of);
    var c = Combinators.combine(s, s, s).as(net.jqwik.api.Tuple::of);
    return Combinators.combine(a, b, c).as((x, y, z) -> new ObjectInfo(x.get1(), x.get2(), x.get3(), x.get4(), x.get5(),
        x.get6(), x.get7(), x.get8(), y.get1(), y.get2(), y.get3(), y.get4(), y.get5(), y.get6(), y.get7(), y.get8(),
        z.get1(), z.get2(), z.get3()));
  }

  private static final Arbitrary<ObjectPropList.Element> PROP_LIST_ELEMENTS = Arbitraries.oneOf(
      Arbitraries.oneOf(Arrays.stream(ObjectPropertyCode.values())
          .map(code -> Combinators.combine(u32Bits(), valueOf(code.dataType()))
              .as((h, v) -> new ObjectPropList.Element(h, code.value(), v)))
          .toList()),
      Combinators.combine(u32Bits(), u16(), ANY_VALUE).as(ObjectPropList.Element::new));

  static Arbitrary<ObjectPropList.Element> propListElements() { return PROP_LIST_ELEMENTS; }

  static Arbitrary<ObjectPropList> propLists() {
    return propListElements().list().ofMaxSize(12).map(ObjectPropList::new);
  }
}
