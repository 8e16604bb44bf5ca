package io.vkv.node.lock;

import com.google.protobuf.ByteString;
import io.vertx.core.Context;
import io.vkv.api.mvccpb.Event;
import io.vkv.node.apply.AppliedListener;
import io.vkv.store.ApplyResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Applied key events for the lock and election services: waits for one key's deletion and tells observers of a
 * prefix that something under it changed. Fed on the applier thread; callbacks run on the caller's context.
 * Register first, then read: an event applied between the two is never missed.
 */
public final class KeyEvents implements AppliedListener {
  private record Waiter(Context context, CompletableFuture<Void> done) {}

  /** An observer of a prefix; several changes before it runs fold into one call. */
  public final class Subscription {
    private final ByteString prefix;
    private final Context context;
    private final Runnable onChange;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    private Subscription(ByteString prefix, Context context, Runnable onChange) {
      this.prefix = prefix;
      this.context = context;
      this.onChange = onChange;
    }

    private void changed() {
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          scheduled.set(false);
          onChange.run();
        });
      }
    }

    public void cancel() {
      subscriptions.remove(this);
    }
  }

  private final Map<ByteString, List<Waiter>> deletions = new ConcurrentHashMap<>();
  private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

  /** Completes (on {@code context}) at the next applied deletion of {@code key}. */
  public CompletableFuture<Void> deletion(ByteString key, Context context) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    deletions.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(new Waiter(context, f));
    return f;
  }

  public Subscription subscribe(ByteString prefix, Context context, Runnable onChange) {
    Subscription s = new Subscription(prefix, context, onChange);
    subscriptions.add(s);
    return s;
  }

  @Override
  public void applied(List<ApplyResult> batch) {
    if (deletions.isEmpty() && subscriptions.isEmpty()) return;
    for (ApplyResult r : batch) {
      for (Event e : r.events()) {
        ByteString key = e.getKv().getKey();
        if (e.getType() == Event.EventType.DELETE) {
          List<Waiter> ws = deletions.remove(key);
          if (ws != null) ws.forEach(w -> w.context().runOnContext(v -> w.done().complete(null)));
        }
        for (Subscription s : subscriptions) {
          if (key.startsWith(s.prefix)) s.changed();
        }
      }
    }
  }
}
