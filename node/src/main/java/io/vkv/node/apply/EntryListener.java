package io.vkv.node.apply;

import io.vkv.api.internal.InternalRequest;
import io.vkv.store.ApplyResult;

/** Told about every successfully applied entry with its request, in log order, on the applier thread. */
@FunctionalInterface
public interface EntryListener {
  void applied(InternalRequest request, ApplyResult result);
}
