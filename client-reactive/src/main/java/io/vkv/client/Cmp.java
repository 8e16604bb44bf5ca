package io.vkv.client;

import com.google.protobuf.ByteString;
import io.vertx.core.buffer.Buffer;
import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.etcdserverpb.Compare.CompareResult;
import io.vkv.api.etcdserverpb.Compare.CompareTarget;

/**
 * Transaction guards, read as sentences: {@code Cmp.version("lock").eq(0)}, {@code Cmp.value("k").eq("old")},
 * {@code Cmp.modRevision("k").lt(42)}. A guard on a missing key compares against zero values, as in etcd.
 */
public final class Cmp {
  private final ByteString key;
  private final CompareTarget target;
  private ByteString rangeEnd = ByteString.EMPTY;

  private Cmp(ByteString key, CompareTarget target) {
    this.key = key;
    this.target = target;
  }

  public static Cmp value(String key) {
    return new Cmp(Bytes.of(key), CompareTarget.VALUE);
  }

  public static Cmp value(Buffer key) {
    return new Cmp(Bytes.of(key), CompareTarget.VALUE);
  }

  public static Cmp version(String key) {
    return new Cmp(Bytes.of(key), CompareTarget.VERSION);
  }

  public static Cmp version(Buffer key) {
    return new Cmp(Bytes.of(key), CompareTarget.VERSION);
  }

  public static Cmp createRevision(String key) {
    return new Cmp(Bytes.of(key), CompareTarget.CREATE);
  }

  public static Cmp createRevision(Buffer key) {
    return new Cmp(Bytes.of(key), CompareTarget.CREATE);
  }

  public static Cmp modRevision(String key) {
    return new Cmp(Bytes.of(key), CompareTarget.MOD);
  }

  public static Cmp modRevision(Buffer key) {
    return new Cmp(Bytes.of(key), CompareTarget.MOD);
  }

  public static Cmp lease(String key) {
    return new Cmp(Bytes.of(key), CompareTarget.LEASE);
  }

  public static Cmp lease(Buffer key) {
    return new Cmp(Bytes.of(key), CompareTarget.LEASE);
  }

  /** Apply the guard to every key with this key as prefix. */
  public Cmp prefix() {
    rangeEnd = Bytes.prefixEnd(key);
    return this;
  }

  public Compare eq(long n) {
    return number(CompareResult.EQUAL, n);
  }

  public Compare ne(long n) {
    return number(CompareResult.NOT_EQUAL, n);
  }

  public Compare gt(long n) {
    return number(CompareResult.GREATER, n);
  }

  public Compare lt(long n) {
    return number(CompareResult.LESS, n);
  }

  public Compare eq(String v) {
    return value(CompareResult.EQUAL, Bytes.of(v));
  }

  public Compare eq(Buffer v) {
    return value(CompareResult.EQUAL, Bytes.of(v));
  }

  public Compare ne(String v) {
    return value(CompareResult.NOT_EQUAL, Bytes.of(v));
  }

  public Compare ne(Buffer v) {
    return value(CompareResult.NOT_EQUAL, Bytes.of(v));
  }

  public Compare gt(Buffer v) {
    return value(CompareResult.GREATER, Bytes.of(v));
  }

  public Compare lt(Buffer v) {
    return value(CompareResult.LESS, Bytes.of(v));
  }

  private Compare number(CompareResult result, long n) {
    Compare.Builder b = base(result);
    switch (target) {
      case VERSION -> b.setVersion(n);
      case CREATE -> b.setCreateRevision(n);
      case MOD -> b.setModRevision(n);
      case LEASE -> b.setLease(n);
      default -> throw new IllegalStateException("a value guard compares bytes, not numbers");
    }
    return b.build();
  }

  private Compare value(CompareResult result, ByteString v) {
    if (target != CompareTarget.VALUE) throw new IllegalStateException(target + " guards compare numbers");
    return base(result).setValue(v).build();
  }

  private Compare.Builder base(CompareResult result) {
    return Compare.newBuilder().setKey(key).setRangeEnd(rangeEnd).setTarget(target).setResult(result);
  }
}
