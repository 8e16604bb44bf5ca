package io.vkv.client;

import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;

/** Operations inside a transaction's then/else branches. */
public final class Op {
  private static final GetOptions GET = new GetOptions();
  private static final PutOptions PUT = new PutOptions();
  private static final DeleteOptions DELETE = new DeleteOptions();

  private Op() {
  }

  public static RequestOp get(String key) {
    return get(key, GET);
  }

  public static RequestOp get(String key, GetOptions options) {
    return RequestOp.newBuilder().setRequestRange(options.toRequest(Bytes.of(key))).build();
  }

  public static RequestOp get(Buffer key, GetOptions options) {
    return RequestOp.newBuilder().setRequestRange(options.toRequest(Bytes.of(key))).build();
  }

  public static RequestOp put(String key, String value) {
    return put(key, value, PUT);
  }

  public static RequestOp put(String key, String value, PutOptions options) {
    return RequestOp.newBuilder().setRequestPut(options.toRequest(Bytes.of(key), Bytes.of(value))).build();
  }

  public static RequestOp put(Buffer key, Buffer value, PutOptions options) {
    return RequestOp.newBuilder().setRequestPut(options.toRequest(Bytes.of(key), Bytes.of(value))).build();
  }

  public static RequestOp delete(String key) {
    return delete(key, DELETE);
  }

  public static RequestOp delete(String key, DeleteOptions options) {
    return RequestOp.newBuilder().setRequestDeleteRange(options.toRequest(Bytes.of(key))).build();
  }

  public static RequestOp delete(Buffer key, DeleteOptions options) {
    return RequestOp.newBuilder().setRequestDeleteRange(options.toRequest(Bytes.of(key))).build();
  }

  /** A nested transaction (etcd 3.3+). */
  public static RequestOp txn(TxnRequest txn) {
    return RequestOp.newBuilder().setRequestTxn(txn).build();
  }

  /** True when running the op twice has the effect of running it once: reads only. */
  static boolean readOnly(RequestOp op) {
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> true;
      case REQUEST_TXN -> readOnly(op.getRequestTxn());
      default -> false;
    };
  }

  static boolean readOnly(TxnRequest txn) {
    for (RequestOp op : txn.getSuccessList()) if (!readOnly(op)) return false;
    for (RequestOp op : txn.getFailureList()) if (!readOnly(op)) return false;
    return true;
  }
}
