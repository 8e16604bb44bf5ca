package io.vkv.store;

import static io.vkv.store.Fixture.compact;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeRequest.SortOrder;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LongAndBinaryKeyTest {
  @TempDir Path dir;

  private static ByteString key(int length, byte fill, byte... tail) {
    byte[] k = new byte[length];
    Arrays.fill(k, fill);
    System.arraycopy(tail, 0, k, length - tail.length, tail.length);
    return ByteString.copyFrom(k);
  }

  private static InternalRequest put(ByteString k, String v) {
    return InternalRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(k).setValue(ByteString.copyFromUtf8(v))).build();
  }

  private static List<ByteString> keys(List<KeyValue> kvs) {
    return kvs.stream().map(KeyValue::getKey).toList();
  }

  private static List<ByteString> sorted(List<ByteString> ks) {
    List<ByteString> out = new ArrayList<>(ks);
    out.sort(ByteString.unsignedLexicographicalComparator());
    return out;
  }

  @Test
  void bytesAbove0x7fSortUnsignedAndZeroBytesWork() {
    try (Fixture f = new Fixture(dir)) {
      List<ByteString> ks = List.of(ByteString.copyFrom(new byte[] {(byte) 0xff}), ByteString.copyFrom(new byte[] {(byte) 0x80}),
          ByteString.copyFrom(new byte[] {0x7f}), ByteString.copyFrom(new byte[] {0x00}), ByteString.copyFrom(new byte[] {0x00, 0x00}),
          ByteString.copyFrom(new byte[] {0x01}), ByteString.copyFrom(new byte[] {(byte) 0x80, 0x00}));
      for (ByteString k : ks) f.ok(put(k, ""));
      RangeRequest all = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0})).setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
      assertEquals(sorted(ks), keys(f.range(all).getKvsList()));
      RangeRequest high = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {(byte) 0x80}))
          .setRangeEnd(ByteString.copyFrom(new byte[] {(byte) 0x81})).build();
      assertEquals(2, f.range(high).getCount());
      // at the previous revision the last key put (0x80 0x00) did not exist yet
      assertEquals(sorted(ks.subList(0, 6)),
          keys(f.range(all.toBuilder().setRevision(f.store.currentRevision() - 1).build()).getKvsList()));
    }
  }

  @Test
  void longKeysSharingALongPrefixRangeInOrder() {
    try (Fixture f = new Fixture(dir)) {
      List<ByteString> ks = new ArrayList<>();
      for (byte last : new byte[] {5, 1, (byte) 0x90, 3}) ks.add(key(5000, (byte) 'p', last));
      for (byte last : new byte[] {2, (byte) 0xf0}) ks.add(key(600, (byte) 'p', last));
      ks.add(key(600, (byte) 'p', (byte) 'q', (byte) 0)); // differs from the 5000-byte keys before their end
      ks.add(key(224, (byte) 'p'));                       // exactly the group prefix length: a short key
      ks.add(key(225, (byte) 'p'));
      ks.add(key(200, (byte) 'p', (byte) 0x00));
      ks.add(ByteString.copyFromUtf8("q"));
      ks.add(ByteString.copyFromUtf8("o"));
      for (ByteString k : ks) f.ok(put(k, "v" + k.size()));
      long before = f.store.currentRevision();
      RangeRequest all = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("\0")).setRangeEnd(ByteString.copyFromUtf8("\0")).build();
      assertEquals(sorted(ks), keys(f.range(all).getKvsList()));
      List<ByteString> desc = new ArrayList<>(sorted(ks));
      java.util.Collections.reverse(desc);
      assertEquals(desc, keys(f.range(all.toBuilder().setSortOrder(SortOrder.DESCEND).build()).getKvsList()));

      // bounds inside a group: [second 5000-byte key, the 0x90 one) in sorted order
      List<ByteString> order = sorted(ks);
      ByteString from = order.get(4);
      ByteString to = order.get(8);
      RangeRequest mid = RangeRequest.newBuilder().setKey(from).setRangeEnd(to).build();
      assertEquals(order.subList(4, 8), keys(f.range(mid).getKvsList()));
      RangeRequest limited = mid.toBuilder().setLimit(2).build();
      assertEquals(order.subList(4, 6), keys(f.range(limited).getKvsList()));
      assertEquals(4, f.range(limited).getCount());

      // single long key get, overwrite, delete, historical read
      ByteString k = ks.get(0);
      assertEquals("v5000", f.range(RangeRequest.newBuilder().setKey(k).build()).getKvs(0).getValue().toStringUtf8());
      f.ok(put(k, "again"));
      assertEquals(2, f.range(RangeRequest.newBuilder().setKey(k).build()).getKvs(0).getVersion());
      DeleteRangeResponse d = (DeleteRangeResponse) f.ok(InternalRequest.newBuilder()
          .setDeleteRange(DeleteRangeRequest.newBuilder().setKey(from).setRangeEnd(to)).build()).response();
      assertEquals(4, d.getDeleted());
      assertEquals(ks.size() - 4, f.range(all).getCount());
      assertEquals(sorted(ks), keys(f.range(all.toBuilder().setRevision(before).build()).getKvsList()));
      assertEquals(order.subList(4, 8), keys(f.range(mid.toBuilder().setRevision(before).build()).getKvsList()));
      f.ok(compact(before));
      assertEquals(sorted(ks), keys(f.range(all.toBuilder().setRevision(before).build()).getKvsList()));
    }
  }
}
