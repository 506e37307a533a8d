package io.mtpbridge.core.code;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Wire value to constant lookup shared by the code enums. A map rather than a switch: the tables
 * hold up to a few hundred codes and are looked up once per container or property.
 */
final class CodeTable<E extends Enum<E>> {
  private final Map<Integer, E> byValue;

  CodeTable(E[] constants, ToIntFunction<E> value) {
    byValue = new HashMap<>(constants.length * 2);
    for (E c : constants) {
      E previous = byValue.put(value.applyAsInt(c), c);
      if (previous != null) {
        throw new IllegalStateException(c + " and " + previous + " share the value " + hex(value.applyAsInt(c)));
      }
    }
  }

  E of(int value) { return byValue.get(value); }

  static String hex(int value) { return String.format("0x%04X", value); }
}
