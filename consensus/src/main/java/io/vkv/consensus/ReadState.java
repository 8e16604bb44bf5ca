package io.vkv.consensus;

/**
 * A confirmed linearizable read: once the local applied index reaches {@code index}, the read
 * identified by {@code context} may be served from the local state machine.
 */
public record ReadState(long index, byte[] context) {
  @Override
  public String toString() {
    return "read " + Bytes.show(context) + " at " + index;
  }
}
