package io.vkv.wal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Binary form of a {@link WalRecord} inside one Chronicle excerpt, big-endian:
 *
 * <pre>
 * int  bodyLength   bytes after the checksum
 * int  crc32c       of the body
 * body: byte kind, then per kind
 *   ENTRY      long index, long term, int type, data (rest of body)
 *   HARD_STATE long term, long vote, long commit
 *   TRUNCATE   long fromIndex
 *   SNAPSHOT   long index, long term, data (rest of body)
 *   OPEN       long lastGoodQueueIndex
 * </pre>
 *
 * Chronicle's own header can be complete while the data pages never reached the disk; the length and checksum make
 * such a torn record detectable. Encoding reuses one buffer, so an encoder belongs to one thread.
 */
final class RecordCodec {
  static final int PREFIX_BYTES = 8;
  static final byte ENTRY = 1;
  static final byte HARD_STATE = 2;
  static final byte TRUNCATE = 3;
  static final byte SNAPSHOT = 4;
  static final byte OPEN = 5;

  private final CRC32C crc = new CRC32C();
  private ByteBuffer buffer = ByteBuffer.allocate(4096);

  /** @return the encoded record in {@code array()[0, limit())}, valid until the next call */
  ByteBuffer entry(WalEntry e) {
    ByteBuffer b = start(1 + 8 + 8 + 4 + e.data().length, ENTRY);
    b.putLong(e.index()).putLong(e.term()).putInt(e.type()).put(e.data());
    return finish();
  }

  ByteBuffer hardState(HardState hs) {
    start(1 + 24, HARD_STATE).putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit());
    return finish();
  }

  ByteBuffer truncate(long fromIndex) {
    start(1 + 8, TRUNCATE).putLong(fromIndex);
    return finish();
  }

  ByteBuffer snapshot(SnapshotMeta s) {
    start(1 + 16 + s.data().length, SNAPSHOT).putLong(s.index()).putLong(s.term()).put(s.data());
    return finish();
  }

  ByteBuffer open(long lastGoodQueueIndex) {
    start(1 + 8, OPEN).putLong(lastGoodQueueIndex);
    return finish();
  }

  private ByteBuffer start(int bodyLength, byte kind) {
    int total = PREFIX_BYTES + bodyLength;
    if (buffer.capacity() < total) buffer = ByteBuffer.allocate(Math.max(total, buffer.capacity() * 2));
    buffer.clear();
    buffer.putInt(bodyLength).putInt(0).put(kind);
    return buffer;
  }

  private ByteBuffer finish() {
    int end = buffer.position();
    crc.reset();
    crc.update(buffer.array(), PREFIX_BYTES, end - PREFIX_BYTES);
    buffer.putInt(4, (int) crc.getValue());
    buffer.flip();
    return buffer;
  }

  /** Decodes {@code bytes[0, length)}; any inconsistency is reported, never guessed around. */
  static WalRecord decode(byte[] bytes, int length) throws BadRecordException {
    if (length < PREFIX_BYTES + 1) throw new BadRecordException("excerpt of " + length + " bytes is shorter than a record");
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length);
    int bodyLength = b.getInt();
    int expectedCrc = b.getInt();
    if (bodyLength < 1 || bodyLength != length - PREFIX_BYTES) {
      throw new BadRecordException("record says " + bodyLength + " body bytes but the excerpt holds " + (length - PREFIX_BYTES));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, PREFIX_BYTES, bodyLength);
    if ((int) crc.getValue() != expectedCrc) {
      throw new BadRecordException(String.format("checksum mismatch (stored %08x, computed %08x)", expectedCrc, (int) crc.getValue()));
    }
    try {
      return decodeBody(b);
    } catch (BufferUnderflowException e) {
      throw new BadRecordException("record body too short for its kind");
    }
  }

  private static WalRecord decodeBody(ByteBuffer b) throws BadRecordException {
    byte kind = b.get();
    switch (kind) {
      case ENTRY: {
        long index = b.getLong();
        long term = b.getLong();
        int type = b.getInt();
        return new WalRecord.Entry(new WalEntry(index, term, type, rest(b)));
      }
      case HARD_STATE:
        return new WalRecord.State(new HardState(b.getLong(), b.getLong(), b.getLong()));
      case TRUNCATE:
        return new WalRecord.Truncate(b.getLong());
      case SNAPSHOT: {
        long index = b.getLong();
        long term = b.getLong();
        return new WalRecord.Snapshot(new SnapshotMeta(index, term, rest(b)));
      }
      case OPEN:
        return new WalRecord.Open(b.getLong());
      default:
        throw new BadRecordException("unknown record kind " + kind);
    }
  }

  private static byte[] rest(ByteBuffer b) {
    byte[] data = new byte[b.remaining()];
    b.get(data);
    return data;
  }
}
