package io.vkv.node.grpc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.DeleteRangeRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.etcdserverpb.RequestOp;
import io.vkv.api.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RequestValidatorTest {
  final RequestValidator validator = new RequestValidator(3);

  static RequestOp put(String k) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))).build();
  }

  static RequestOp del(String k, String end) {
    return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(k)).setRangeEnd(ByteString.copyFromUtf8(end))).build();
  }

  static RequestOp txn(TxnRequest.Builder t) {
    return RequestOp.newBuilder().setRequestTxn(t).build();
  }

  static void assertError(EtcdError expected, Executable call) {
    assertEquals(expected, assertThrows(EtcdException.class, call).error());
  }

  @Test
  void emptyKeysAreRejected() {
    assertError(EtcdError.EMPTY_KEY, () -> validator.checkRange(RangeRequest.getDefaultInstance()));
    assertError(EtcdError.EMPTY_KEY, () -> validator.checkPut(PutRequest.getDefaultInstance()));
    assertError(EtcdError.EMPTY_KEY, () -> validator.checkDelete(DeleteRangeRequest.getDefaultInstance()));
    assertError(EtcdError.EMPTY_KEY, () -> validator.checkTxn(TxnRequest.newBuilder().addCompare(Compare.getDefaultInstance()).build()));
    assertError(EtcdError.EMPTY_KEY, () -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(put("")).build()));
  }

  @Test
  void contradictoryPutFlagsAreRejected() {
    var key = ByteString.copyFromUtf8("k");
    assertError(EtcdError.VALUE_PROVIDED, () -> validator.checkPut(PutRequest.newBuilder().setKey(key)
        .setIgnoreValue(true).setValue(ByteString.copyFromUtf8("v")).build()));
    assertError(EtcdError.LEASE_PROVIDED, () -> validator.checkPut(PutRequest.newBuilder().setKey(key)
        .setIgnoreLease(true).setLease(5).build()));
  }

  @Test
  void operationBudgetCountsTheLargestListAndNestedTxnsShareIt() {
    assertDoesNotThrow(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addSuccess(put("b")).addSuccess(put("c")).build()));
    assertError(EtcdError.TOO_MANY_OPS, () -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addSuccess(put("b")).addSuccess(put("c")).addSuccess(put("d")).build()));
    // outer uses 2 of 3; the nested one may use only 1
    assertError(EtcdError.TOO_MANY_OPS, () -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addSuccess(txn(TxnRequest.newBuilder().addSuccess(put("x")).addSuccess(put("y")))).build()));
  }

  @Test
  void aKeyWrittenTwiceInOneBranchIsADuplicate() {
    assertError(EtcdError.DUPLICATE_KEY, () -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addSuccess(put("a")).build()));
    assertError(EtcdError.DUPLICATE_KEY, () -> validator.checkTxn(TxnRequest.newBuilder()
        .addFailure(put("b")).addFailure(del("a", "c")).build()));
    assertError(EtcdError.DUPLICATE_KEY, () -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addSuccess(txn(TxnRequest.newBuilder().addFailure(put("a")))).build()));
    // the two branches never both run, and neither do a nested txn's two branches
    assertDoesNotThrow(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("a")).addFailure(put("a")).build()));
    assertDoesNotThrow(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(txn(TxnRequest.newBuilder().addSuccess(put("n")).addFailure(put("n")))).build()));
    // a delete outside the put's key is fine
    assertDoesNotThrow(() -> validator.checkTxn(TxnRequest.newBuilder()
        .addSuccess(put("z")).addSuccess(del("a", "c")).build()));
  }
}
