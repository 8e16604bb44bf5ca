package io.vkv.store;

import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.mvccpb.KeyValue;
import java.util.Comparator;

/** etcd's range sort targets as comparators over KeyValues (bytes compare unsigned). */
final class KvOrder {
  private KvOrder() {}

  static Comparator<KeyValue> ascending(RangeRequest.SortTarget target) {
    return switch (target) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
      case VALUE -> (a, b) -> KeyRangeScan.KEY_ORDER.compare(a.getValue(), b.getValue());
      default -> (a, b) -> KeyRangeScan.KEY_ORDER.compare(a.getKey(), b.getKey());
    };
  }
}
