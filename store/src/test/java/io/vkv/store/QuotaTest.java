package io.vkv.store;

import static io.vkv.store.Fixture.del;
import static io.vkv.store.Fixture.putOp;
import static io.vkv.store.Fixture.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.internal.InternalRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuotaTest {
  @TempDir Path dir;

  @Test
  void overQuotaRejectsPutsButNotDeletesOrReadOnlyTxns() {
    try (Fixture f = new Fixture(dir, 256 * 1024)) {
      String big = "x".repeat(4000);
      int i = 0;
      ApplyResult last;
      do {
        InternalRequest[] batch = new InternalRequest[16];
        for (int j = 0; j < batch.length; j++) batch[j] = Fixture.put("k" + (i++), big);
        last = f.applyAll(batch).get(15);
      } while (last.error() == null && i < 10_000);
      assertEquals(EtcdError.NO_SPACE, last.error().error());
      assertTrue(f.store.dbSize() > 256 * 1024);
      long rev = f.store.currentRevision();
      assertEquals(EtcdError.NO_SPACE, f.apply(Fixture.put("new", "v")).error().error());
      assertEquals(EtcdError.NO_SPACE, f.apply(txn(TxnRequest.newBuilder().addFailure(putOp("n", "v")))).error().error());
      assertNull(f.apply(txn(TxnRequest.newBuilder().addSuccess(Fixture.getOp("k0")))).error());
      ApplyResult d = f.ok(del("k", "l"));
      assertTrue(((DeleteRangeResponse) d.response()).getDeleted() > 10);
      assertEquals(rev + 1, f.store.currentRevision());
      assertNull(f.kv("new"));
    }
  }
}
