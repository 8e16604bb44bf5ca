package io.vkv.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vkv.api.internal.InternalRequest;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Entry;
import io.vkv.node.apply.Applier;
import io.vkv.store.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The applier thread: applies each Ready's committed entries to the store in one write transaction (off the
 * Raft loop), then, every {@link #COMPACT_EVERY} entries, checkpoints the store and drops the WAL prefix.
 */
final class ApplyStage {
  private static final Logger LOG = Logger.getLogger(ApplyStage.class.getName());
  /** As the single-member log did: compact after this many applied entries... */
  static final long COMPACT_EVERY = 50_000;
  /** ...but keep this many behind the applied index so that a lagging member can still catch up from the log. */
  static final long CATCH_UP_ENTRIES = 10_000;

  private final Applier applier;
  private final WalStorage storage;
  private final Runnable checkpoint;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vkv-applier");
    t.setDaemon(true);
    return t;
  });
  private long compactedIndex;

  /** @param checkpoint makes everything applied so far durable in the store (so the WAL prefix can go) */
  ApplyStage(Applier applier, WalStorage storage, Runnable checkpoint) {
    this.applier = applier;
    this.storage = storage;
    this.checkpoint = checkpoint;
    this.compactedIndex = storage.firstIndex() - 1;
  }

  /** Completes on the applier thread once the entries are applied. */
  CompletableFuture<Void> apply(List<Entry> committed, ConfState members) {
    return CompletableFuture.runAsync(() -> {
      List<LogEntry> batch = new ArrayList<>(committed.size());
      for (Entry e : committed) batch.add(new LogEntry(e.index(), request(e)));
      applier.apply(batch);
      maybeCompact(members);
    }, thread);
  }

  /**
   * The leader's no-op (empty data) and membership changes carry no client request: they are applied as an
   * empty request, which writes nothing but still moves the store's consistent index past them.
   */
  private static InternalRequest request(Entry e) {
    if (e.type() != Entry.Type.NORMAL || e.data().length == 0) return InternalRequest.getDefaultInstance();
    try {
      return InternalRequest.parseFrom(e.data());
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("log entry " + e.index() + " is not a request: " + ex.getMessage(), ex);
    }
  }

  private void maybeCompact(ConfState members) {
    long target = applier.appliedIndex() - CATCH_UP_ENTRIES;
    if (target - compactedIndex < COMPACT_EVERY) return;
    checkpoint.run();
    storage.compact(target, members).join();
    compactedIndex = target;
    LOG.fine(() -> "compacted the WAL up to index " + target);
  }

  void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) LOG.warning("the applier did not finish within 30 s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
