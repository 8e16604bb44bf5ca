package io.vkv.node.watch;

import com.google.protobuf.ByteString;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.KVGrpcClient;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.WatchGrpcClient;
import io.vkv.api.etcdserverpb.WatchRequest;
import io.vkv.node.NodeConfig;
import io.vkv.node.VkvNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A server to watch: an in-process vkv node on ephemeral ports, or, with -Dvkv.watch.etcd=host:port, a real etcd
 * (started with --max-request-bytes and the progress interval below) to check that the tests describe etcd.
 */
final class WatchTarget implements AutoCloseable {
  static final int MAX_REQUEST_BYTES = 4096;
  static final long PROGRESS_INTERVAL_MS = 300;

  private final VkvNode node;
  private final Vertx vertx;
  private final SocketAddress address;
  private final KVGrpcClient kv;
  private final WatchGrpcClient watch;
  private final io.vkv.api.etcdserverpb.LeaseGrpcClient lease;
  final String endpoints;

  private WatchTarget(VkvNode node, String hostPort) {
    this.node = node;
    this.endpoints = hostPort;
    this.vertx = Vertx.vertx();
    URI u = URI.create("http://" + hostPort);
    this.address = SocketAddress.inetSocketAddress(u.getPort(), u.getHost());
    // etcd clients accept large responses (clientv3: up to 2 GiB); Vert.x's default would drop them
    GrpcClient client = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 << 20));
    this.kv = KVGrpcClient.create(client, address);
    this.watch = WatchGrpcClient.create(client, address);
    this.lease = io.vkv.api.etcdserverpb.LeaseGrpcClient.create(client, address);
  }

  static WatchTarget start(Path dir) {
    return start(dir, MAX_REQUEST_BYTES);
  }

  static WatchTarget start(Path dir, int maxRequestBytes) {
    String etcd = System.getProperty("vkv.watch.etcd");
    if (etcd != null) return new WatchTarget(null, etcd);
    NodeConfig config = NodeConfig.singleMember(dir, 0, 0).toBuilder()
        .maxRequestBytes(maxRequestBytes).watchProgressNotifyIntervalMs(PROGRESS_INTERVAL_MS).build();
    VkvNode node = await(VkvNode.start(config));
    return new WatchTarget(node, node.endpoints().split(",")[0]);
  }

  boolean isEtcd() {
    return node == null;
  }

  WatchTestClient open(WatchRequest first) {
    return WatchTestClient.open(watch, first, false);
  }

  /** A stream read as it arrives, keeping only a tally (see {@link TallyingWatch}). */
  TallyingWatch openTallying(WatchRequest first) {
    return TallyingWatch.open(watch, first);
  }

  /**
   * A stream that is not read until resumed, on a connection of its own: a stalled stream uses up its HTTP/2
   * connection's flow-control window, which would stall the test's other calls on a shared one.
   */
  WatchTestClient openPaused(WatchRequest first) {
    GrpcClient own = GrpcClient.client(vertx, new GrpcClientOptions().setMaxMessageSize(16 << 20));
    return WatchTestClient.open(WatchGrpcClient.create(own, address), first, true);
  }

  /** Grants a lease with a server-chosen id; returns the id. */
  long grantLease(long ttl) {
    return await(lease.leaseGrant(io.vkv.api.etcdserverpb.LeaseGrantRequest.newBuilder().setTTL(ttl).build())).getID();
  }

  /** Returns the revision of the put. */
  long putWithLease(String key, String value, long leaseId) {
    return await(kv.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).setLease(leaseId).build()))
        .getHeader().getRevision();
  }

  /** Returns the revision of the put. */
  long put(String key, String value) {
    return await(kv.put(PutRequest.newBuilder().setKey(bs(key)).setValue(bs(value)).build())).getHeader().getRevision();
  }

  Future<?> putAsync(String key, String value) {
    return putAsync(key, bs(value));
  }

  Future<?> putAsync(String key, ByteString value) {
    return kv.put(PutRequest.newBuilder().setKey(bs(key)).setValue(value).build());
  }

  long delete(String key) {
    return await(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(bs(key)).build())).getHeader().getRevision();
  }

  /** Puts every key (value = key) in one txn; returns its revision. */
  long putAll(String... keys) {
    TxnRequest.Builder t = TxnRequest.newBuilder();
    for (String k : keys) {
      t.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs(k)).setValue(bs(k))));
    }
    return await(kv.txn(t.build())).getHeader().getRevision();
  }

  void compact(long revision) {
    await(kv.compact(CompactionRequest.newBuilder().setRevision(revision).build()));
  }

  long currentRevision() {
    return await(kv.range(RangeRequest.newBuilder().setKey(bs("\0")).setCountOnly(true).build()))
        .getHeader().getRevision();
  }

  static ByteString bs(String s) {
    return ByteString.copyFromUtf8(s);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("call failed", e);
    }
  }

  @Override
  public void close() {
    if (node != null) await(node.close());
    await(vertx.close());
  }
}
