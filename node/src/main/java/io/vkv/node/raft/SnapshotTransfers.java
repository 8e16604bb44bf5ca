package io.vkv.node.raft;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vkv.api.internal.RaftMessage;
import io.vkv.consensus.Message;
import io.vkv.consensus.SnapshotMeta;
import io.vkv.node.peer.SnapshotReceiver;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Snapshot transfer for the Raft loop (all methods on its context). Leader side: when the core emits a SNAP
 * message, takes a store copy on the applier thread, sends it with that copy's index, term and membership (as
 * etcd does: a follower gets the state machine as of the leader's applied index, not the core's older snapshot
 * index), and reports the outcome to the core. Follower side: a verified copy is kept by index until the core's
 * Ready carries the snapshot for it.
 */
final class SnapshotTransfers {
  private static final Logger LOG = Logger.getLogger(SnapshotTransfers.class.getName());

  private final Vertx vertx;
  private final Context context;
  private final Path dir;
  private final ApplyStage applyStage;
  private final PeerTransport transport;
  private final long idleTimeoutMs;
  private final ExecutorService ioThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "vkv-snapshot-io");
    t.setDaemon(true);
    return t;
  });
  /** File work for transfers; after close, work still handed in is dropped (the member is stopping). */
  private final java.util.concurrent.Executor io = r -> {
    try {
      ioThread.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      LOG.fine("snapshot file work after close dropped");
    }
  };
  /** Verified copies received, by snapshot index, until installed. */
  private final Map<Long, Path> received = new HashMap<>();

  /** @param onReceived steps a received SNAP message into the core (called once its copy is on disk) */
  SnapshotTransfers(Vertx vertx, Context context, Path dir, ApplyStage applyStage, PeerTransport transport,
                    long idleTimeoutMs, Consumer<Message> onReceived) {
    this.vertx = vertx;
    this.context = context;
    this.dir = dir;
    this.applyStage = applyStage;
    this.transport = transport;
    this.idleTimeoutMs = idleTimeoutMs;
    transport.snapshotReceiver(new SnapshotReceiver(vertx, dir, io, (m, copy) -> {
      received.put(m.getSnapshot().getIndex(), copy);
      LOG.info(() -> String.format("received a snapshot at index %d from %x", m.getSnapshot().getIndex(), m.getFrom()));
      onReceived.accept(RaftMessages.fromWire(m));
    }));
  }

  /** Leader: sends the state machine to {@code m.to()}; {@code report(to, ok)} runs on the loop when done. */
  void send(Message m, BiConsumer<Long, Boolean> report) {
    Path copy = dir.resolve("out-" + Long.toHexString(m.to()) + "-" + System.nanoTime());
    applyStage.snapshot(copy).whenComplete((snap, e) -> context.runOnContext(x -> {
      if (e != null) {
        LOG.log(Level.WARNING, "could not take a snapshot for member " + Long.toHexString(m.to()), e);
        io.execute(() -> SnapshotFiles.deleteTree(copy));
        report.accept(m.to(), false);
        return;
      }
      RaftMessage wire = RaftMessages.toWire(m).toBuilder().setSnapshot(RaftMessages.toWire(snap)).build();
      LOG.info(() -> String.format("sending a snapshot at index %d to %x", snap.index(), m.to()));
      transport.sendSnapshot(m.to(), wire, copy.resolve("data.mdb"), io, idleTimeoutMs).onComplete(ar -> {
        io.execute(() -> SnapshotFiles.deleteTree(copy));
        if (ar.failed()) {
          LOG.warning(() -> String.format("snapshot to %x failed: %s", m.to(), ar.cause().getMessage()));
        } else {
          LOG.info(() -> String.format("sent the snapshot at index %d to %x", snap.index(), m.to()));
        }
        report.accept(m.to(), ar.succeeded());
      });
    }));
  }

  /** Follower: the verified copy for the snapshot the core is installing; null if none was received. */
  Path take(SnapshotMeta snap) {
    Path copy = received.remove(snap.index());
    // copies for older indexes will never be installed
    received.entrySet().removeIf(en -> {
      if (en.getKey() >= snap.index()) return false;
      io.execute(() -> SnapshotFiles.deleteTree(en.getValue()));
      return true;
    });
    return copy;
  }

  void close() {
    ioThread.shutdown();
  }
}
