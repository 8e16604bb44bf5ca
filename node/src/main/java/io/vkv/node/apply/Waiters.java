package io.vkv.node.apply;

import io.vkv.api.EtcdError;
import io.vkv.store.ApplyResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Client calls waiting for their request to be applied, by request id. */
public final class Waiters {
  private final Map<Long, CompletableFuture<ApplyResult>> waiting = new ConcurrentHashMap<>();

  public CompletableFuture<ApplyResult> register(long requestId) {
    CompletableFuture<ApplyResult> f = new CompletableFuture<>();
    waiting.put(requestId, f);
    return f;
  }

  /** Completes the caller waiting for this result, if it is on this member. */
  public void complete(ApplyResult result) {
    CompletableFuture<ApplyResult> f = waiting.remove(result.requestId());
    if (f != null) f.complete(result);
  }

  public void fail(long requestId, Throwable cause) {
    CompletableFuture<ApplyResult> f = waiting.remove(requestId);
    if (f != null) f.completeExceptionally(cause);
  }

  /** On shutdown nobody may hang: every pending call fails with etcd's "server stopped". */
  public void failAll() {
    for (Long id : waiting.keySet()) fail(id, EtcdError.STOPPED.exception());
  }

  /** Whether a caller still waits for this request (it was neither completed nor failed). */
  public boolean isWaiting(long requestId) {
    return waiting.containsKey(requestId);
  }

  public int size() {
    return waiting.size();
  }
}
