package io.vkv.consensus;

import java.nio.ByteBuffer;

/**
 * A single-member membership change, carried in a {@link Entry.Type#CONF_CHANGE} entry and
 * applied (via {@link RawNode#applyConfChange}) only once committed.
 */
public record ConfChange(Type type, long nodeId) {
  public enum Type { ADD_VOTER, ADD_LEARNER, REMOVE }

  public byte[] encode() {
    return ByteBuffer.allocate(9).put((byte) type.ordinal()).putLong(nodeId).array();
  }

  public static ConfChange decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    return new ConfChange(Type.values()[b.get()], b.getLong());
  }

  @Override
  public String toString() {
    return type.name().toLowerCase() + " " + nodeId;
  }
}
