package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.CompactionResponse;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;

/**
 * etcd's KV service. Reads (and read-only transactions) fail over to another endpoint on UNAVAILABLE; writes are
 * retried only when they provably never reached a server, so a put is never applied twice by the client.
 */
public final class KvClient {
  private static final GetOptions GET = new GetOptions();
  private static final PutOptions PUT = new PutOptions();
  private static final DeleteOptions DELETE = new DeleteOptions();

  private final Invoker invoker;

  KvClient(Invoker invoker) {
    this.invoker = invoker;
  }

  public Future<RangeResponse> get(String key) {
    return range(GET.toRequest(Bytes.of(key)));
  }

  public Future<RangeResponse> get(String key, GetOptions options) {
    return range(options.toRequest(Bytes.of(key)));
  }

  public Future<RangeResponse> get(Buffer key, GetOptions options) {
    return range(options.toRequest(Bytes.of(key)));
  }

  public Future<RangeResponse> get(byte[] key, GetOptions options) {
    return range(options.toRequest(Bytes.of(key)));
  }

  /** A prepared request, for callers that build their own (e.g. a load generator reusing one message). */
  public Future<RangeResponse> range(RangeRequest request) {
    return invoker.call(KVGrpcClient.Range, request, true);
  }

  public Future<PutResponse> put(String key, String value) {
    return put(Bytes.of(key), Bytes.of(value), PUT);
  }

  public Future<PutResponse> put(String key, String value, PutOptions options) {
    return put(Bytes.of(key), Bytes.of(value), options);
  }

  public Future<PutResponse> put(Buffer key, Buffer value, PutOptions options) {
    return put(Bytes.of(key), Bytes.of(value), options);
  }

  public Future<PutResponse> put(byte[] key, byte[] value, PutOptions options) {
    return put(Bytes.of(key), Bytes.of(value), options);
  }

  private Future<PutResponse> put(ByteString key, ByteString value, PutOptions options) {
    return put(options.toRequest(key, value));
  }

  /** A prepared request. */
  public Future<PutResponse> put(PutRequest request) {
    return invoker.call(KVGrpcClient.Put, request, false);
  }

  public Future<DeleteRangeResponse> delete(String key) {
    return delete(key, DELETE);
  }

  public Future<DeleteRangeResponse> delete(String key, DeleteOptions options) {
    return invoker.call(KVGrpcClient.DeleteRange, options.toRequest(Bytes.of(key)), false);
  }

  public Future<DeleteRangeResponse> delete(Buffer key, DeleteOptions options) {
    return invoker.call(KVGrpcClient.DeleteRange, options.toRequest(Bytes.of(key)), false);
  }

  /** Starts a transaction; nothing is sent until {@link Txn#commit()}. */
  public Txn txn() {
    return new Txn(this::txn);
  }

  public Future<TxnResponse> txn(TxnRequest request) {
    return invoker.call(KVGrpcClient.Txn, request, Op.readOnly(request));
  }

  /**
   * Discards history before {@code revision}. With {@code physical} the reply waits until the space is reclaimed.
   * Compacting twice to the same revision fails the second time, so this is not retried after it was sent.
   */
  public Future<CompactionResponse> compact(long revision, boolean physical) {
    CompactionRequest req = CompactionRequest.newBuilder().setRevision(revision).setPhysical(physical).build();
    return invoker.call(KVGrpcClient.Compact, req, false);
  }
}
