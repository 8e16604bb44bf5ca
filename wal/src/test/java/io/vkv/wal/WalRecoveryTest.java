package io.vkv.wal;

import static io.vkv.wal.WalTesting.await;
import static io.vkv.wal.WalTesting.config;
import static io.vkv.wal.WalTesting.entries;
import static io.vkv.wal.WalTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRecoveryTest {
  @TempDir Path dir;
  final WalTesting.Clock clock = new WalTesting.Clock();

  private void writeFiveEntries() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.save(new HardState(1, 1, 3), entries(1, 5, 1)));
      await(wal.append(entries(6, 6, 1)));
    }
  }

  private static void overwrite(QueueProbe.Excerpt e, long offset, byte[] bytes) throws Exception {
    try (FileChannel ch = FileChannel.open(e.file().toPath(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(bytes), offset);
      ch.force(false);
    }
  }

  /** After a torn tail was dropped, the log goes on, and later opens accept the dropped record's remains. */
  private void assertTornLastEntryDropped() throws Exception {
    try (Wal wal = Wal.open(config(dir, clock))) {
      assertEquals(5, wal.lastIndex(), "the torn entry 6 is dropped");
      assertEquals(new HardState(1, 1, 3), wal.hardState());
      await(wal.append(entries(6, 7, 2)));
    }
    for (int reopen = 0; reopen < 2; reopen++) {
      try (Wal wal = Wal.open(config(dir, clock))) {
        assertEquals(7, wal.lastIndex());
        assertEquals("entry-6-term-2", text(wal.entries(6, 7, 100).get(0)));
        assertEquals("entry-5-term-1", text(wal.entries(5, 6, 100).get(0)));
      }
    }
  }

  @Test
  void lastRecordCutShortIsDropped() throws Exception {
    writeFiveEntries();
    QueueProbe.Excerpt last = QueueProbe.entries(dir).get(5);
    try (FileChannel ch = FileChannel.open(last.file().toPath(), StandardOpenOption.WRITE)) {
      ch.truncate(last.offset() + last.length() / 2); // the rest of the record never reached the disk
    }
    assertTornLastEntryDropped();
  }

  @Test
  void lastRecordWithUnwrittenDataPageIsDropped() throws Exception {
    writeFiveEntries();
    QueueProbe.Excerpt last = QueueProbe.entries(dir).get(5);
    // Chronicle's header is complete, but the payload's tail is still zeros
    overwrite(last, last.offset() + last.length() - 6, new byte[6]);
    assertTornLastEntryDropped();
  }

  @Test
  void lastRecordWithIncompleteChronicleHeaderIsDropped() throws Exception {
    writeFiveEntries();
    QueueProbe.Excerpt last = QueueProbe.entries(dir).get(5);
    // the writer died between claiming the header and completing it
    int header = 0x8000_0000 | last.length();
    overwrite(last, last.offset() - 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header).array());
    assertTornLastEntryDropped();
  }

  @Test
  void corruptRecordInTheMiddleFailsTheOpenNamingFileAndOffset() throws Exception {
    writeFiveEntries();
    QueueProbe.Excerpt third = QueueProbe.entries(dir).get(2);
    long payloadByte = third.offset() + third.length() - 3;
    overwrite(third, payloadByte, new byte[] {(byte) 0xEE, (byte) 0xEE});
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(config(dir, clock)));
    assertTrue(e.getMessage().contains(third.file().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + third.offset()), e.getMessage());
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("not a torn tail"), e.getMessage());
    // refusing to open changes nothing on disk: the same failure again
    assertThrows(WalCorruptedException.class, () -> Wal.open(config(dir, clock)));
  }

  @Test
  void damagedRecordBeforeAnotherOpenIsStillCorruption() throws Exception {
    writeFiveEntries();
    try (Wal wal = Wal.open(config(dir, clock))) {
      await(wal.append(entries(7, 7, 1))); // entry 6 is now followed by an open marker and entry 7
    }
    List<QueueProbe.Excerpt> entries = QueueProbe.entries(dir);
    QueueProbe.Excerpt sixth = entries.get(5);
    overwrite(sixth, sixth.offset() + sixth.length() - 1, new byte[] {0x55});
    WalCorruptedException e = assertThrows(WalCorruptedException.class, () -> Wal.open(config(dir, clock)));
    assertTrue(e.getMessage().contains("offset " + sixth.offset()), e.getMessage());
  }
}
