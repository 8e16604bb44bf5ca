package io.vkv.consensus;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A single-member membership change, carried in a {@link Entry.Type#CONF_CHANGE} entry and
 * applied (via {@link RawNode#applyConfChange}) only once committed.
 *
 * <p>{@code context} is opaque to the core (the node stores its etcd {@code Member} there, as
 * etcd does); never null. Node ids are never reused: a removed member that comes back must get
 * a new id.
 *
 * <p>Encoding ({@link #encode}): {@code 0x81, type, nodeId (8 bytes, big-endian), context
 * length (4 bytes), context}. {@link #decode} also accepts the first format, 9 bytes
 * {@code type, nodeId}, which older WALs hold.
 */
public record ConfChange(Type type, long nodeId, byte[] context) {
  /**
   * UPDATE changes neither voters nor learners: it orders a member's new peer URLs (in the context) in the log with
   * the other membership changes, one at a time, as etcd's ConfChangeUpdateNode does.
   */
  public enum Type { ADD_VOTER, ADD_LEARNER, REMOVE, UPDATE }

  /** First byte of the current encoding; the old format starts with the type (0..2). */
  private static final byte FORMAT_V2 = (byte) 0x81;
  private static final int V2_HEADER = 1 + 1 + 8 + 4;
  private static final int V1_LENGTH = 9;

  public ConfChange {
    if (type == null) {
      throw new IllegalArgumentException("type must not be null");
    }
    context = context == null ? Bytes.EMPTY : context;
  }

  /** A change without context. */
  public ConfChange(Type type, long nodeId) {
    this(type, nodeId, Bytes.EMPTY);
  }

  public byte[] encode() {
    return ByteBuffer.allocate(V2_HEADER + context.length).put(FORMAT_V2)
        .put((byte) type.ordinal()).putLong(nodeId).putInt(context.length).put(context).array();
  }

  /**
   * Decodes either format.
   *
   * @throws IllegalArgumentException if {@code data} is neither
   */
  public static ConfChange decode(byte[] data) {
    if (data.length == V1_LENGTH && data[0] >= 0 && data[0] < Type.values().length) {
      ByteBuffer b = ByteBuffer.wrap(data);
      return new ConfChange(Type.values()[b.get()], b.getLong());
    }
    if (data.length < V2_HEADER || data[0] != FORMAT_V2) {
      throw new IllegalArgumentException("not an encoded ConfChange (" + data.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(data, 1, data.length - 1);
    int t = b.get();
    long id = b.getLong();
    int len = b.getInt();
    if (t < 0 || t >= Type.values().length || len != data.length - V2_HEADER) {
      throw new IllegalArgumentException("corrupt ConfChange: type " + t + " context length "
          + len + " in " + data.length + " bytes");
    }
    byte[] ctx = new byte[len];
    b.get(ctx);
    return new ConfChange(Type.values()[t], id, ctx);
  }

  @Override
  public byte[] context() {
    return context.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfChange c && c.type == type && c.nodeId == nodeId
        && Arrays.equals(c.context, context);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + Long.hashCode(nodeId)) * 31 + Arrays.hashCode(context);
  }

  @Override
  public String toString() {
    return type.name().toLowerCase() + " " + nodeId
        + (context.length == 0 ? "" : " ctx=" + Bytes.show(context));
  }
}
