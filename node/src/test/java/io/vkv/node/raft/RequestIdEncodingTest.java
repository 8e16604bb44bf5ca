package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import org.junit.jupiter.api.Test;

class RequestIdEncodingTest {
  @Test
  void sameBytesAsSettingTheIdOnACopy() throws Exception {
    InternalRequest put = InternalRequest.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFrom(new byte[300])).setLease(7)).build();
    InternalRequest txn = InternalRequest.newBuilder().setTxn(TxnRequest.getDefaultInstance()).build();
    for (InternalRequest r : new InternalRequest[] {put, txn, InternalRequest.getDefaultInstance()}) {
      for (long id : new long[] {1, 127, 128, Long.MAX_VALUE, -1, 0x1234_5678_9ABCL << 8}) {
        byte[] expected = r.toBuilder().setId(id).build().toByteArray();
        assertArrayEquals(expected, RaftProposer.withId(r, id));
        assertEquals(id, InternalRequest.parseFrom(RaftProposer.withId(r, id)).getId());
      }
    }
  }

  @Test
  void anIdAlreadySetIsReplaced() throws Exception {
    InternalRequest r = InternalRequest.newBuilder().setId(5).setPut(PutRequest.getDefaultInstance()).build();
    assertEquals(9, InternalRequest.parseFrom(RaftProposer.withId(r, 9)).getId());
  }
}
