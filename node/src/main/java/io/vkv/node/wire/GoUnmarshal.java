package io.vkv.node.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

/**
 * The error etcd's request decoding (the {@code Unmarshal} methods gogoproto generates) finds in a protobuf message,
 * with its text, or null for a message etcd takes. Java's parser is not a reference for this: it reads a known field
 * sent with the wrong wire type as an unknown field, where etcd refuses the message, and its texts differ.
 *
 * <p>The rules follow gogoproto's generated code as etcd 3.4 runs it: a tag is a varint; wire type 4 (end group) or
 * field number 0 at the top of a field is refused naming the message; a known field must come with its wire type
 * (packed repeated numbers take either); an unknown field is skipped (groups included) and wire types 6 and 7 are
 * illegal; a length must be non-negative and fit in the message; a varint has at most 10 bytes. One difference on
 * purpose: a length that is positive but overflows the read position panics etcd 3.4.23 (it crashes the member);
 * here it is the negative-length error, as later gogoproto reports it.
 */
public final class GoUnmarshal {
  public static final String UNEXPECTED_EOF = "unexpected EOF";
  public static final String INT_OVERFLOW = "proto: integer overflow";
  public static final String NEGATIVE_LENGTH = "proto: negative length found during unmarshaling";

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH = 2;
  private static final int START_GROUP = 3;
  private static final int END_GROUP = 4;
  private static final int FIXED32 = 5;

  private final byte[] data;
  private int pos;

  private GoUnmarshal(byte[] data) {
    this.data = data;
  }

  /** etcd's error text for these bytes as a {@code type}, or null when etcd would decode them. */
  public static String error(Descriptor type, byte[] bytes) {
    try {
      new GoUnmarshal(bytes).message(type, bytes.length);
      return null;
    } catch (Refused r) {
      return r.getMessage();
    }
  }

  /** The fields from {@code pos} up to {@code end}, which is where this message stops. */
  private void message(Descriptor type, int end) {
    while (pos < end) {
      int start = pos;
      long tag = varint(end);
      int wireType = (int) (tag & 7);
      int number = (int) (tag >>> 3); // Go's int32 conversion keeps the low 32 bits too
      if (wireType == END_GROUP) throw new Refused("proto: " + goName(type) + ": wiretype end group for non-group");
      if (number <= 0) throw new Refused("proto: " + goName(type) + ": illegal tag " + number + " (wire type " + wireType + ")");
      FieldDescriptor field = type.findFieldByNumber(number);
      if (field == null) {
        pos = start;
        skip(end);
      } else {
        known(field, wireType, end);
      }
    }
  }

  private void known(FieldDescriptor field, int wireType, int end) {
    int expected = wireTypeOf(field);
    if (wireType == expected) {
      value(field, wireType, end);
    } else if (wireType == LENGTH && field.isRepeated() && expected != LENGTH) {
      // packed: a run of values of the field's own wire type
      int runEnd = lengthEnd(end);
      while (pos < runEnd) value(field, expected, runEnd);
    } else {
      throw new Refused("proto: wrong wireType = " + wireType + " for field " + goFieldName(field));
    }
  }

  private void value(FieldDescriptor field, int wireType, int end) {
    switch (wireType) {
      case VARINT -> varint(end);
      case FIXED64 -> fixed(8, end);
      case FIXED32 -> fixed(4, end);
      default -> {
        int valueEnd = lengthEnd(end);
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          message(field.getMessageType(), valueEnd);
        }
        pos = valueEnd;
      }
    }
  }

  /** Skips one unknown field, tag included, as gogoproto's generated {@code skip} function does. */
  private void skip(int end) {
    int wireType = (int) (varint(end) & 7);
    switch (wireType) {
      case VARINT -> varint(end);
      case FIXED64 -> fixed(8, end);
      case FIXED32 -> fixed(4, end);
      case LENGTH -> pos = lengthEnd(end);
      case START_GROUP -> {
        while (true) {
          int start = pos;
          if ((varint(end) & 7) == END_GROUP) break;
          pos = start;
          skip(end);
        }
      }
      case END_GROUP -> { } // a lone end group is where a skipped group stops
      default -> throw new Refused("proto: illegal wireType " + wireType);
    }
  }

  private void fixed(int size, int end) {
    if (end - pos < size) throw new Refused(UNEXPECTED_EOF);
    pos += size;
  }

  /** Reads a length and returns where its bytes end. */
  private int lengthEnd(int end) {
    long length = varint(end);
    if (length < 0 || length > Long.MAX_VALUE - pos) throw new Refused(NEGATIVE_LENGTH);
    if (pos + length > end) throw new Refused(UNEXPECTED_EOF);
    return pos + (int) length;
  }

  private long varint(int end) {
    long value = 0;
    for (int shift = 0; ; shift += 7) {
      if (shift >= 64) throw new Refused(INT_OVERFLOW);
      if (pos >= end) throw new Refused(UNEXPECTED_EOF);
      byte b = data[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) return value;
    }
  }

  private static int wireTypeOf(FieldDescriptor field) {
    return switch (field.getType()) {
      case DOUBLE, FIXED64, SFIXED64 -> FIXED64;
      case FLOAT, FIXED32, SFIXED32 -> FIXED32;
      case STRING, BYTES, MESSAGE -> LENGTH;
      case GROUP -> START_GROUP;
      default -> VARINT;
    };
  }

  /** The Go type gogoproto generates: nested messages are named Outer_Inner. */
  static String goName(Descriptor type) {
    return type.getContainingType() == null ? type.getName() : goName(type.getContainingType()) + "_" + type.getName();
  }

  /** The Go field name (CamelCase of the proto name: range_end is RangeEnd, peerURLs is PeerURLs, ID stays). */
  static String goFieldName(FieldDescriptor field) {
    String name = field.getName();
    StringBuilder out = new StringBuilder(name.length());
    boolean upper = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_' && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))) {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** A message etcd refuses; the text is the error Go's Unmarshal returns. Thrown to unwind the nesting. */
  private static final class Refused extends RuntimeException {
    Refused(String text) {
      super(text, null, false, false);
    }
  }
}
