package io.vkv.wal;

/** The point the log was compacted to: entries up to {@code index} live in a snapshot. {@code data} is opaque. */
public record SnapshotMeta(long index, long term, byte[] data) {
  /** The state of a log that was never compacted. */
  public static final SnapshotMeta NONE = new SnapshotMeta(0, 0, new byte[0]);

  public SnapshotMeta {
    if (data == null) data = new byte[0];
  }
}
