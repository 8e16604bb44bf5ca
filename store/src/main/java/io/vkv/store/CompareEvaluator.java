package io.vkv.store;

import io.vkv.api.etcdserverpb.Compare;
import io.vkv.api.mvccpb.KeyValue;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates txn compares the way etcd 3.4 does: over a range every key must satisfy the compare; a key (or a
 * range) with no live key compares as a zero KeyValue (version 0, create 0, mod 0, lease 0), except that a VALUE
 * compare on missing keys always fails.
 */
final class CompareEvaluator {
  private CompareEvaluator() {}

  /** @param reader reads the live KeyValues of a range, in key order, as the txn sees them before its writes */
  static boolean all(List<Compare> compares, Function<KeyRange, List<KeyValue>> reader) {
    for (Compare c : compares) {
      if (!holds(c, reader.apply(KeyRange.of(c.getKey(), c.getRangeEnd())))) return false;
    }
    return true;
  }

  static boolean holds(Compare c, List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return c.getTarget() != Compare.CompareTarget.VALUE && matches(c, KeyValue.getDefaultInstance());
    }
    for (KeyValue kv : kvs) {
      if (!matches(c, kv)) return false;
    }
    return true;
  }

  private static boolean matches(Compare c, KeyValue kv) {
    int cmp = switch (c.getTarget()) {
      case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
      case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
      case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
      case VALUE -> KeyRangeScan.KEY_ORDER.compare(kv.getValue(), c.getValue());
      case LEASE -> Long.compare(kv.getLease(), c.getLease());
      default -> 0;
    };
    return switch (c.getResult()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
      default -> true;
    };
  }
}
