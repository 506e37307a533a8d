package io.mtpbridge.core.container;

/** The container type field of a PTP/MTP generic container (USB still-image class, appendix D). */
public enum ContainerType {
  COMMAND(1), DATA(2), RESPONSE(3), EVENT(4);

  private final int value;

  ContainerType(int value) { this.value = value; }

  public int value() { return value; }

  /** The type for a wire value, or null when it is none of the four. */
  public static ContainerType of(int value) {
    return switch (value) {
      case 1 -> COMMAND;
      case 2 -> DATA;
      case 3 -> RESPONSE;
      case 4 -> EVENT;
      default -> null;
    };
  }
}
