package io.vkv.client;

import io.vkv.api.mvccpb.Event;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a watch delivers, for assertions from the test thread. */
final class WatchRecorder {
  final List<WatchEvents> batches = new CopyOnWriteArrayList<>();
  final AtomicReference<Throwable> error = new AtomicReference<>();
  final AtomicBoolean ended = new AtomicBoolean();

  static WatchRecorder of(Watch watch) {
    WatchRecorder r = new WatchRecorder();
    watch.exceptionHandler(r.error::set).endHandler(v -> r.ended.set(true)).handler(r.batches::add);
    return r;
  }

  List<Event> events() {
    List<Event> all = new ArrayList<>();
    for (WatchEvents b : batches) all.addAll(b.events());
    return all;
  }

  /** The mod revision of every event received, in order of arrival. */
  List<Long> revisions() {
    return events().stream().map(e -> e.getKv().getModRevision()).toList();
  }

  List<String> keys() {
    return events().stream().map(e -> e.getKv().getKey().toStringUtf8()).toList();
  }

  List<WatchEvents> progressNotifications() {
    return batches.stream().filter(WatchEvents::isProgressNotify).toList();
  }

  void awaitEvents(int n) {
    Wait.until(Duration.ofSeconds(20), () -> "expected " + n + " events, got " + keys(),
        () -> events().size() >= n || error.get() != null);
    if (error.get() != null) throw new AssertionError("watch failed", error.get());
  }

  Throwable awaitError() {
    Wait.until(Duration.ofSeconds(20), () -> "no error; events " + keys(), () -> error.get() != null);
    return error.get();
  }
}
