package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.RangeRequest.SortOrder;
import io.vkv.api.etcdserverpb.RangeRequest.SortTarget;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every KV call against a real in-process member; each test uses its own key prefix. */
class KvClientTest {
  private static NodeFixture server;
  private static VkvClient client;
  private static KvClient kv;

  @BeforeAll
  static void start() throws Exception {
    server = new NodeFixture();
    client = VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()).setConnections(2));
    kv = client.kv();
  }

  @AfterAll
  static void stop() {
    if (client != null) Await.result(client.close());
    if (server != null) server.close();
  }

  private static List<String> keys(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> kv.getKey().toStringUtf8()).toList();
  }

  @Test
  void putThenGetInEveryKeyType() {
    Await.result(kv.put("t1/s", "v1"));
    Await.result(kv.put(Buffer.buffer("t1/b"), Buffer.buffer("v2"), new PutOptions()));
    Await.result(kv.put("t1/a".getBytes(StandardCharsets.UTF_8), "v3".getBytes(StandardCharsets.UTF_8), new PutOptions()));
    assertEquals("v1", Await.result(kv.get("t1/s")).getKvs(0).getValue().toStringUtf8());
    assertEquals("v2", Await.result(kv.get(Buffer.buffer("t1/b"), new GetOptions())).getKvs(0).getValue().toStringUtf8());
    KeyValue a = Await.result(kv.get("t1/a".getBytes(StandardCharsets.UTF_8), new GetOptions())).getKvs(0);
    assertEquals("v3", a.getValue().toStringUtf8());
    assertEquals(1, a.getVersion());
    assertEquals(0, Await.result(kv.get("t1/missing")).getCount());
  }

  @Test
  void putReturnsPreviousValueAndKeepsValueOrLeaseOnRequest() {
    Await.result(kv.put("t2/k", "old"));
    PutResponse put = Await.result(kv.put("t2/k", "new", new PutOptions().prevKv()));
    assertEquals("old", put.getPrevKv().getValue().toStringUtf8());
    Await.result(kv.put("t2/k", "", new PutOptions().ignoreValue()));
    KeyValue now = Await.result(kv.get("t2/k")).getKvs(0);
    assertEquals("new", now.getValue().toStringUtf8());
    assertEquals(3, now.getVersion());
    Await.result(kv.put("t2/k", "newer", new PutOptions().ignoreLease()));
    assertEquals("newer", Await.result(kv.get("t2/k")).getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void rangeOptionsMirrorEtcd() {
    for (String k : List.of("t3/a", "t3/b", "t3/c", "t3/d")) Await.result(kv.put(k, k.substring(3)));
    Await.result(kv.put("t3", "parent"));
    Await.result(kv.put("t4", "next"));
    assertEquals(List.of("t3/a", "t3/b", "t3/c", "t3/d"), keys(Await.result(kv.get("t3/", new GetOptions().prefix()))));
    assertEquals(List.of("t3/b", "t3/c"), keys(Await.result(kv.get("t3/b", new GetOptions().rangeEnd("t3/d")))));
    assertEquals(List.of("t3/d", "t4"), keys(Await.result(kv.get("t3/d", new GetOptions().fromKey().limit(2)))));

    RangeResponse limited = Await.result(kv.get("t3/", new GetOptions().prefix().limit(2)));
    assertEquals(List.of("t3/a", "t3/b"), keys(limited));
    assertTrue(limited.getMore());
    assertEquals(4, limited.getCount());

    RangeResponse sorted = Await.result(kv.get("t3/", new GetOptions().prefix().sort(SortTarget.KEY, SortOrder.DESCEND)));
    assertEquals(List.of("t3/d", "t3/c", "t3/b", "t3/a"), keys(sorted));

    RangeResponse keysOnly = Await.result(kv.get("t3/", new GetOptions().prefix().keysOnly()));
    assertEquals(4, keysOnly.getKvsCount());
    assertTrue(keysOnly.getKvs(0).getValue().isEmpty());

    RangeResponse count = Await.result(kv.get("t3/", new GetOptions().prefix().countOnly()));
    assertEquals(0, count.getKvsCount());
    assertEquals(4, count.getCount());

    RangeResponse serial = Await.result(kv.get("t3/a", new GetOptions().serializable()));
    assertEquals("a", serial.getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void readsAtAnOlderRevision() {
    long first = Await.result(kv.put("t5/k", "one")).getHeader().getRevision();
    Await.result(kv.put("t5/k", "two"));
    assertEquals("one", Await.result(kv.get("t5/k", new GetOptions().revision(first))).getKvs(0).getValue().toStringUtf8());
    assertEquals("two", Await.result(kv.get("t5/k")).getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void deletesOneKeyOrAPrefixAndReturnsWhatWasDeleted() {
    for (String k : List.of("t6/a", "t6/b", "t6/c")) Await.result(kv.put(k, "x"));
    assertEquals(1, Await.result(kv.delete("t6/a")).getDeleted());
    DeleteRangeResponse del = Await.result(kv.delete("t6/", new DeleteOptions().prefix().prevKv()));
    assertEquals(2, del.getDeleted());
    assertEquals(List.of("t6/b", "t6/c"), del.getPrevKvsList().stream().map(k -> k.getKey().toStringUtf8()).toList());
    assertEquals(0, Await.result(kv.get("t6/", new GetOptions().prefix().countOnly())).getCount());
  }

  @Test
  void txnCompareAndSwap() {
    Await.result(kv.put("t7/k", "v1"));
    TxnResponse swapped = Await.result(kv.txn()
        .when(Cmp.value("t7/k").eq("v1"))
        .then(Op.put("t7/k", "v2"), Op.get("t7/k"))
        .otherwise(Op.get("t7/k"))
        .commit());
    assertTrue(swapped.getSucceeded());
    assertEquals("v2", swapped.getResponses(1).getResponseRange().getKvs(0).getValue().toStringUtf8());

    TxnResponse lost = Await.result(kv.txn()
        .when(Cmp.value("t7/k").eq("v1"))
        .then(Op.put("t7/k", "v3"))
        .otherwise(Op.get("t7/k"))
        .commit());
    assertFalse(lost.getSucceeded());
    assertEquals("v2", lost.getResponses(0).getResponseRange().getKvs(0).getValue().toStringUtf8());

    TxnResponse create = Await.result(kv.txn()
        .when(Cmp.version("t7/new").eq(0), Cmp.modRevision("t7/k").gt(0), Cmp.createRevision("t7/k").lt(1_000_000))
        .then(Op.put("t7/new", "created"), Op.delete("t7/k"))
        .commit());
    assertTrue(create.getSucceeded());
    assertEquals(0, Await.result(kv.get("t7/k")).getCount());
    assertEquals("created", Await.result(kv.get("t7/new")).getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void compactedRevisionsAreGone() {
    long old = Await.result(kv.put("t8/k", "a")).getHeader().getRevision();
    long now = Await.result(kv.put("t8/k", "b")).getHeader().getRevision();
    Await.result(kv.compact(now, true));
    VkvException e = Await.failure(kv.get("t8/k", new GetOptions().revision(old)));
    assertEquals(GrpcStatus.OUT_OF_RANGE, e.status());
    assertEquals(EtcdError.COMPACTED, e.etcdError().orElseThrow());
    assertEquals("b", Await.result(kv.get("t8/k")).getKvs(0).getValue().toStringUtf8());
  }

  @Test
  void serverErrorsCarryEtcdsStatusAndMessage() {
    VkvException e = Await.failure(kv.put("", "v"));
    assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
    assertEquals(EtcdError.EMPTY_KEY, e.etcdError().orElseThrow());
  }
}
