package io.vkv.consensus;

import java.util.Arrays;

/**
 * One log entry. {@code data} is opaque to the core except for {@link Type#CONF_CHANGE} entries,
 * which hold an encoded {@link ConfChange}. An empty NORMAL entry is the leader's no-op.
 */
public record Entry(long index, long term, Type type, byte[] data) {

  /** Wire codes match {@code RaftEntry.type} in peer.proto. */
  public enum Type {
    NORMAL(0), CONF_CHANGE(1);

    public final int code;

    Type(int code) {
      this.code = code;
    }

    public static Type of(int code) {
      return code == 1 ? CONF_CHANGE : NORMAL;
    }
  }

  /** Per-entry overhead counted against byte limits, so empty entries still cost something. */
  static final int OVERHEAD = 24;

  public Entry {
    data = data == null ? new byte[0] : data;
  }

  public static Entry normal(long index, long term, byte[] data) {
    return new Entry(index, term, Type.NORMAL, data);
  }

  /** Approximate encoded size, used for maxSizePerMsg and in-flight byte accounting. */
  public long size() {
    return data.length + OVERHEAD;
  }

  Entry withIndexTerm(long newIndex, long newTerm) {
    return new Entry(newIndex, newTerm, type, data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e && e.index == index && e.term == term && e.type == type
        && Arrays.equals(e.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + Long.hashCode(term) * 17 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return index + "/" + term + (type == Type.CONF_CHANGE ? " conf " + ConfChange.decode(data)
        : data.length == 0 ? " no-op" : " \"" + Bytes.show(data) + "\"");
  }
}
