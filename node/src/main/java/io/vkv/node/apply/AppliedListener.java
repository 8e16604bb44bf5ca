package io.vkv.node.apply;

import io.vkv.store.ApplyResult;
import java.util.List;

/** Told about every applied batch, in log order, on the applier thread: must not block (the watch hub hooks here). */
@FunctionalInterface
public interface AppliedListener {
  void applied(List<ApplyResult> batch);
}
