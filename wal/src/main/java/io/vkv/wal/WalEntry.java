package io.vkv.wal;

/** One Raft log entry. {@code type} and {@code data} are opaque to the WAL. */
public record WalEntry(long index, long term, int type, byte[] data) {
  public WalEntry {
    if (data == null) data = new byte[0];
  }
}
