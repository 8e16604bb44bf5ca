package io.vkv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.vkv.api.mvccpb.Event;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The key index's rebuild reads a stored event's key and type without parsing the event: the same answer. */
class HistoryKeyAndTypeTest {
  private static KeyValue kv(String key, int valueBytes) {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 7);
    return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setCreateRevision(3).setModRevision(9)
        .setVersion(2).setValue(ByteString.copyFrom(value)).setLease(0x55).build();
  }

  private static void assertSameAsFullParse(Event e) {
    ByteBuffer stored = ByteBuffer.allocateDirect(e.getSerializedSize());
    stored.put(e.toByteArray()).flip();
    HistoryReader.KeyAndType read = HistoryReader.keyAndType(stored);
    Event parsed = HistoryReader.parse(stored);
    assertArrayEquals(parsed.getKv().getKey().toByteArray(), read.key());
    assertEquals(parsed.getType() == Event.EventType.DELETE, read.delete());
    assertEquals(0, stored.position(), "the stored buffer is left as it was");
  }

  @Test
  void putsAndDeletesWithAndWithoutValuesAndPrevKv() {
    assertSameAsFullParse(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv("a/b", 256)).build());
    assertSameAsFullParse(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv("big", 70_000)).build());
    assertSameAsFullParse(Event.newBuilder().setType(Event.EventType.DELETE)
        .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("gone")).setModRevision(12)).build());
    assertSameAsFullParse(Event.newBuilder().setType(Event.EventType.DELETE).setKv(kv("k", 10))
        .setPrevKv(kv("not this key", 30)).build());
    assertSameAsFullParse(Event.newBuilder().setKv(KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(new byte[] {0, (byte) 0xff, 0}))).build());
    assertSameAsFullParse(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv("x", 0).toBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(99, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFromUtf8("later field")).build()).build())).build());
  }

  @Test
  void aCutShortEventIsReportedAsCorrupt() {
    byte[] whole = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv("a", 100)).build().toByteArray();
    ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOf(whole, whole.length - 20));
    assertThrows(IllegalStateException.class, () -> HistoryReader.keyAndType(cut));
  }
}
