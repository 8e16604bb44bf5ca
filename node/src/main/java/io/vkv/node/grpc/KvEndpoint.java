package io.vkv.node.grpc;

import com.google.protobuf.Message;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vkv.api.EtcdError;
import io.vkv.api.etcdserverpb.CompactionRequest;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.CompactionResponse;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.DeleteRangeResponse;
import io.vkv.api.etcdserverpb.KVService;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.PutResponse;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RangeResponse;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.ResponseHeader;
import io.vkv.api.etcdserverpb.TxnRequest;
import io.vkv.api.etcdserverpb.TxnResponse;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.internal.RequestHeader;
import io.vkv.node.auth.AuthGate;
import io.vkv.node.auth.RequestTokens;
import io.vkv.store.ApplyResult;
import io.vkv.store.MvccReader;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * etcd's KV service. Reads are served from the store on the calling event loop (linearizable ones after a
 * ReadIndex round); writes are validated, then go through the proposer and answer once applied.
 */
public final class KvEndpoint extends KVService {
  private final ServerContext server;
  private final Context context;
  private final RequestValidator validator;
  /** One instance per endpoint: the results of one applied batch for this event loop come back in one task. */
  private final Executor onContext;

  public KvEndpoint(ServerContext server, Context context) {
    this.server = server;
    this.context = context;
    this.validator = new RequestValidator(server.config().maxTxnOps());
    this.onContext = task -> context.runOnContext(v -> task.run());
  }

  @Override
  public Future<RangeResponse> range(RangeRequest request) {
    return servedAsRead(() -> validator.checkRange(request), request.getSerializable(),
        token -> readLocal(request, token));
  }

  /**
   * How etcd serves a read, once {@code check} passed: at once from the local store when serializable; else (not on a
   * learner) after a ReadIndex round, once the local store has applied up to the read index. Permissions are checked
   * by {@code local}, then, so a revoke or password change acknowledged before the read counts on every member.
   */
  private <T> Future<T> servedAsRead(Runnable check, boolean serializable,
      Function<RequestTokens.Credentials, Future<T>> local) {
    try {
      check.run();
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    // taken now, while on the call's own context; checked where the read is served
    RequestTokens.Credentials token = server.auth().enabled() ? RequestTokens.credentials() : RequestTokens.Credentials.NONE;
    if (serializable) return local.apply(token);
    if (server.membership().localIsLearner()) {
      return Future.failedFuture(GrpcErrors.toStatus(EtcdError.NOT_SUPPORTED_FOR_LEARNER.exception()));
    }
    return Future.fromCompletionStage(server.proposer().readBarrier(), context)
        .transform(ar -> ar.failed() ? Future.failedFuture(GrpcErrors.toStatus(ar.cause())) : local.apply(token));
  }

  private Future<RangeResponse> readLocal(RangeRequest request, RequestTokens.Credentials token) {
    try {
      AuthGate auth = server.auth();
      if (auth.enabled()) auth.checkRead(auth.resolve(token), request.getKey(), request.getRangeEnd());
      RangeResponse r = server.store().range(request);
      return Future.succeededFuture(r.toBuilder().setHeader(withIdentity(r.getHeader())).build());
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
  }

  @Override
  public Future<PutResponse> put(PutRequest request) {
    return SpaceQuota.check(server, SpaceQuota.cost(request), context)
        .compose(ok -> write(() -> validator.checkPut(request), InternalRequest.newBuilder().setPut(request)))
        .map(m -> ((PutResponse) m).toBuilder().setHeader(withIdentity(((PutResponse) m).getHeader())).build());
  }

  @Override
  public Future<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
    return write(() -> validator.checkDelete(request), InternalRequest.newBuilder().setDeleteRange(request))
        .map(m -> ((DeleteRangeResponse) m).toBuilder().setHeader(withIdentity(((DeleteRangeResponse) m).getHeader())).build());
  }

  @Override
  public Future<TxnResponse> txn(TxnRequest request) {
    if (MvccReader.isReadOnly(request)) return readOnlyTxn(request);
    return SpaceQuota.check(server, SpaceQuota.cost(request), context)
        .compose(ok -> write(() -> validator.checkTxn(request), InternalRequest.newBuilder().setTxn(request)))
        .map(m -> withIdentity((TxnResponse) m));
  }

  /**
   * A txn of ranges only is served as etcd serves it, as a read and without a log entry: at once from the local store
   * if every range is serializable, else as a linearizable range is.
   */
  private Future<TxnResponse> readOnlyTxn(TxnRequest request) {
    return servedAsRead(() -> validator.checkTxn(request), serializable(request),
        token -> readOnlyTxnLocal(request, token));
  }

  /** etcd's isTxnSerializable: every op of both branches is a serializable range (none at all counts). */
  private static boolean serializable(TxnRequest request) {
    for (List<RequestOp> ops : List.of(request.getSuccessList(), request.getFailureList())) {
      for (RequestOp op : ops) if (!op.hasRequestRange() || !op.getRequestRange().getSerializable()) return false;
    }
    return true;
  }

  private Future<TxnResponse> readOnlyTxnLocal(TxnRequest request, RequestTokens.Credentials token) {
    try {
      AuthGate auth = server.auth();
      if (auth.enabled()) {
        // every compare and both branches, whatever the compares decide (etcd's checkTxnReqsPermission)
        RequestHeader who = auth.resolve(token);
        for (Compare c : request.getCompareList()) auth.checkRead(who, c.getKey(), c.getRangeEnd());
        for (List<RequestOp> ops : List.of(request.getSuccessList(), request.getFailureList())) {
          for (RequestOp op : ops) auth.checkRead(who, op.getRequestRange().getKey(), op.getRequestRange().getRangeEnd());
        }
      }
      return Future.succeededFuture(withIdentity(server.store().readOnlyTxn(request)));
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
  }

  @Override
  public Future<CompactionResponse> compact(CompactionRequest request) {
    return write(() -> { }, InternalRequest.newBuilder().setCompaction(request))
        .map(m -> ((CompactionResponse) m).toBuilder().setHeader(withIdentity(((CompactionResponse) m).getHeader())).build());
  }

  private Future<Message> write(Runnable validation, InternalRequest.Builder entry) {
    InternalRequest request;
    try {
      validation.run();
      // who asked travels with the entry: permissions are checked as it applies, identically on every member
      request = entry.setHeader(server.auth().caller()).build();
      // etcd measures the request as it would enter the log
      if (request.getSerializedSize() > server.config().maxRequestBytes()) throw EtcdError.REQUEST_TOO_LARGE.exception();
    } catch (RuntimeException e) {
      return Future.failedFuture(GrpcErrors.toStatus(e));
    }
    return GrpcProposer.propose(server, request, context, onContext).map(ApplyResult::response);
  }

  private ResponseHeader withIdentity(ResponseHeader fromStore) {
    return server.header(fromStore.getRevision());
  }

  /** Nested responses inside a txn carry headers too; etcd fills only the outer one, and so do we. */
  private TxnResponse withIdentity(TxnResponse r) {
    return r.toBuilder().setHeader(withIdentity(r.getHeader())).build();
  }
}
