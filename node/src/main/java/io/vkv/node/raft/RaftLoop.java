package io.vkv.node.raft;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetSocket;
import io.vkv.api.EtcdError;
import io.vkv.api.EtcdException;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.PeerFrame;
import io.vkv.consensus.ConfChange;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Config;
import io.vkv.consensus.Entry;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
import io.vkv.consensus.RawNode;
import io.vkv.consensus.Ready;
import io.vkv.consensus.SoftState;
import io.vkv.consensus.Status;
import io.vkv.node.apply.WriteStages;
import io.vkv.node.cluster.Membership;
import io.vkv.node.tls.TlsContext;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Raft loop: owns the {@link RawNode} on this verticle's event-loop context and does the I/O around it,
 * as docs/consensus.md lays out. Ticks every heartbeat interval; drains the intake once per turn; hands out one
 * Ready at a time: persist it in the WAL (the leader sends its appends meanwhile), send the after-persist
 * messages once durable, hand the committed entries to the applier thread, then advance. Everything that
 * arrives while a Ready is in progress lands in the next one, so batches grow with the load.
 */
final class RaftLoop extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(RaftLoop.class.getName());

  private final Config raftConfig;
  private final long heartbeatMs;
  private final WalStorage storage;
  private final ApplyStage applyStage;
  private final Intake intake;
  private final PendingProposals proposals;
  private final ReadBarriers reads;
  private final LeaderTransfers transfers;
  private final RaftStatus status;
  private final WriteStages stages;
  private final StageClock clock;
  private final URI listenPeerUrl;
  private final Membership membership;
  private final MembershipChanges changes;
  private final PeerActivity activity;
  private final long electionTimeoutMs;
  private ConfState confState;
  private RawNode node;
  private PeerTransport transport;
  private SnapshotTransfers snapshots;
  private final Path snapshotDir;
  private long timer = -1;
  private boolean busy;
  private boolean readyScheduled;
  private boolean stopped;
  /** Why the loop no longer takes work once {@link #stopped}: stopped, or failed on its disk or store. */
  private EtcdException refusal = EtcdError.STOPPED.exception();
  private Promise<Void> idle;
  /** The last batch handed to the applier thread (which applies batches in order). */
  private CompletableFuture<Void> applying = CompletableFuture.completedFuture(null);
  private long snapshotsRefused;
  private final PeerFrameRouting frames = new PeerFrameRouting();
  private final RemovalNotice removal;
  /** Work to run once the Ready in progress is advanced (loop thread only). */
  private final List<Runnable> afterAdvance = new ArrayList<>();
  private final TlsContext peerTls;

  RaftLoop(RaftSettings s, WalStorage storage, ApplyStage applyStage, Intake intake, PendingProposals proposals,
           RaftStatus status, WriteStages stages) {
    this.raftConfig = s.raftConfig();
    this.heartbeatMs = s.heartbeatMs();
    this.electionTimeoutMs = s.electionTimeoutMs();
    this.listenPeerUrl = s.listenPeerUrl();
    this.peerTls = s.peerTls();
    this.membership = s.membership();
    this.changes = new MembershipChanges(membership, proposals.requestTimeoutNanos());
    this.activity = new PeerActivity(s.electionTimeoutMs() * 1_000_000L);
    this.snapshotDir = s.snapshotDir();
    this.storage = storage;
    this.applyStage = applyStage;
    this.intake = intake;
    this.proposals = proposals;
    this.status = status;
    this.stages = stages;
    this.clock = new StageClock(stages);
    long electionNanos = s.electionTimeoutMs() * 1_000_000L;
    this.reads = new ReadBarriers(s.raftConfig().id(), electionNanos, 3 * electionNanos,
        nanos -> stages.record(WriteStages.Stage.READ_INDEX, nanos));
    this.transfers = new LeaderTransfers(proposals.requestTimeoutNanos());
    this.confState = storage.confState();
    this.removal = new RemovalNotice(s.raftConfig().id());
  }

  @Override
  public Future<?> start() {
    node = new RawNode(raftConfig, storage);
    if (confState.voters().equals(List.of(raftConfig.id()))) node.campaign(); // alone: no one to wait for
    transport = new PeerTransport(vertx, membership, activity, peerTls, this::receive, frames::frame,
        frames::request);
    transport.onRemoved(removal::report);
    snapshots = new SnapshotTransfers(vertx, context, snapshotDir, applyStage, transport,
        Math.max(30_000, 10 * electionTimeoutMs), this::receiveSnapshot);
    return transport.start(listenPeerUrl, membership.members(), electionTimeoutMs).map(port -> {
      scheduleTick();
      intake.attach(context, this::drainIntake);
      processReady();
      return port;
    });
  }

  /** Stops at a Ready boundary: the one in progress is persisted and applied first. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    idle = Promise.promise();
    if (!busy) applying.whenComplete((v, e) -> context.runOnContext(x -> idle.tryComplete()));
    return idle.future().compose(v -> {
      stopped = true;
      failAll(EtcdError.STOPPED.exception());
      snapshots.close();
      return transport.close();
    });
  }

  /** Where peer frames other than Raft messages go (called on this loop's context). */
  void frameHandler(Consumer<PeerFrame> handler) {
    frames.addFrameHandler(handler);
  }

  /** Who answers a request that came on its own connection (called on this loop's context; must not block). */
  void peerRequestHandler(BiConsumer<NetSocket, PeerFrame> handler) {
    frames.requestHandler(handler);
  }

  /** When this member's current active period with peer {@code id} began (System.nanoTime), -1 if not active. */
  long activeSince(long id) {
    return activity.activeSince(id, System.nanoTime());
  }

  /** The core's status (progress of every peer on the leader), taken on the loop. */
  CompletableFuture<Status> coreStatus() {
    return onLoop(out -> out.complete(node.status()));
  }

  /** Told (on the loop) once this member applied its own removal from the cluster. */
  void onRemoved(Runnable listener) {
    removal.listen(listener);
  }

  /**
   * Proposes a membership change about {@code member}; completes once this member's store applied it, fails if the
   * core refuses it or it is not applied within the request timeout.
   */
  CompletableFuture<Void> proposeConfChange(ConfChange.Type type, Member member, long requestId) {
    return onLoop(done -> changes.propose(node, status.leaderId() != 0, type, member, requestId, done,
        System.nanoTime()));
  }

  /** Sends a non-Raft frame to another member from any thread; dropped if the loop is not running. */
  void sendFrame(long to, PeerFrame frame) {
    Context c = context;
    if (c == null) return;
    c.runOnContext(v -> {
      if (!stopped && transport != null) transport.sendFrame(to, frame);
    });
  }

  /**
   * One tick a heartbeat interval after the last one ran, never a burst. A periodic timer runs every tick it missed
   * while the loop was held up (an fsync on a busy disk, a GC, a starved CPU, a SIGSTOP) back to back: a follower
   * then counted an election timeout at once, and a leader lost its quorum check, although no time had passed
   * for the messages that were waiting to be read. Go's ticker, which etcd uses, drops such ticks too.
   */
  private void scheduleTick() {
    timer = vertx.setTimer(heartbeatMs, t -> {
      tick();
      if (!stopped && idle == null) scheduleTick();
    });
  }

  private void tick() {
    if (stopped) return;
    node.tick();
    long now = System.nanoTime();
    proposals.expire(now);
    proposals.trimCompleted();
    // proposals refused during a leader transfer that was then given up wait for no leader change
    if (status.leaderId() != 0) proposals.retryHeld(node, now);
    transfers.expire(now);
    changes.expire(now);
    reads.tick(node, status.leaderId() != 0, now);
    scheduleReady();
  }

  private void drainIntake() {
    if (stopped) {
      refuseIntake(); // a write or read arriving after a failure is refused now, never left waiting
      return;
    }
    if (idle != null) return;
    long now = System.nanoTime();
    List<Intake.Proposal> drained = new ArrayList<>();
    intake.drainProposals(p -> {
      // a proposal offered after this drain began is taken too: it waited ~0, not a negative time
      stages.record(WriteStages.Stage.INTAKE_WAIT, Math.max(0, now - p.offeredAt()));
      drained.add(p);
    });
    proposals.submitAll(node, drained, now);
    List<CompletableFuture<Void>> batch = new ArrayList<>();
    intake.drainReads(batch::add);
    reads.request(node, batch, now);
    scheduleReady();
  }

  /** Maintenance.MoveLeader: completes once {@code target} leads; fails unless this member is the leader. */
  CompletableFuture<Void> moveLeader(long target) {
    return onLoop(done -> transfers.start(node, confState.voters(), target, done, System.nanoTime()));
  }

  /**
   * Runs {@code step} on the loop with a future it completes (now or later), then takes the next Ready; the future
   * fails with "server stopped" if the loop is not running or is stopping. Callable from any thread.
   */
  private <T> CompletableFuture<T> onLoop(Consumer<CompletableFuture<T>> step) {
    CompletableFuture<T> done = new CompletableFuture<>();
    Context c = context;
    if (c == null) {
      done.completeExceptionally(EtcdError.STOPPED.exception());
      return done;
    }
    c.runOnContext(v -> {
      if (stopped || idle != null) {
        done.completeExceptionally(stopped ? refusal : EtcdError.STOPPED.exception());
        return;
      }
      step.accept(done);
      scheduleReady();
    });
    return done;
  }

  private void receive(Message m) {
    if (stopped) return;
    if (m.type() == MessageType.SNAP) {
      // a snapshot comes with the store copy on a connection of its own (receiveSnapshot), never as a bare message
      refusedSnapshot("from " + Long.toHexString(m.from()) + " at index " + m.snapshot().index());
      return;
    }
    if (m.type() == MessageType.APP_RESP && !m.reject()) clock.acknowledged(m.from(), m.index(), System.nanoTime());
    try {
      node.step(m);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "dropping peer message " + m, e);
    }
    scheduleReady();
  }

  /** A SNAP message whose store copy was received and verified: the core decides whether to install it. */
  private void receiveSnapshot(Message m) {
    if (stopped) return;
    try {
      node.step(m);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "dropping snapshot message " + m, e);
    }
    scheduleReady();
  }

  /**
   * Handles the next Ready once the events already read are stepped: every message, proposal and tick that
   * arrived while the last Ready was being written (the loop blocks on its fsync) goes into one Ready, one WAL
   * write and one fsync, instead of a Ready per message. Tasks run after the event loop's pending I/O.
   */
  private void scheduleReady() {
    if (readyScheduled) return;
    readyScheduled = true;
    context.runOnContext(v -> {
      readyScheduled = false;
      processReady();
    });
  }

  private void processReady() {
    if (busy || stopped || !node.hasReady()) return;
    Ready rd = node.ready();
    busy = true;
    if (rd.hardState() != null) {
      status.term(rd.hardState().term());
      status.commitIndex(rd.hardState().commit());
    }
    if (rd.softState() != null) leaderChanged(rd.softState());
    if (!rd.readStates().isEmpty()) reads.confirmed(rd.readStates(), status.appliedIndex());
    long readyAt = System.nanoTime();
    if (!rd.entries().isEmpty()) clock.appended(rd.entries(), readyAt);
    send(rd.messages());
    if (!rd.mustPersist()) {
      afterPersist(rd);
      return;
    }
    // written on this thread (see WalStorage.persist); a snapshot's compaction queued before is written with it
    CompletableFuture<Void> persisted = storage.persist(rd);
    if (rd.mustSync()) stages.record(WriteStages.Stage.PERSIST, System.nanoTime() - readyAt);
    whenDone(persisted, rd.mustSync() ? "persisting the log in the WAL" : "recording the commit index in the WAL",
        () -> afterPersist(rd));
  }

  /**
   * Runs {@code next} on this loop once {@code work} succeeded: at once if it is already done (it ran on this
   * thread), else when it completes elsewhere. A failure stops the member instead ({@link #fatal}).
   */
  private void whenDone(CompletableFuture<Void> work, String what, Runnable next) {
    if (!work.isDone()) {
      work.whenComplete((v, e) -> context.runOnContext(x -> whenDone(work, what, next)));
      return;
    }
    try {
      work.join();
    } catch (RuntimeException e) {
      fatal(what, e);
      return;
    }
    next.run();
  }

  /**
   * Hands the committed entries to the apply stage: applied right here when the store is free (no thread hand-off),
   * else queued for the applier thread, in which case the loop advances without waiting for them, so the next
   * Ready's fsync overlaps that store transaction (as etcd's apply loop does). The core's applied index
   * may thus run ahead of the store's by one batch: membership changes are applied to the core right here, and
   * everything that must see the store (reads, status, replay) goes by the applier's own index. At most two batches
   * are with the applier at once: the next Ready waits for the one before this.
   */
  private void afterPersist(Ready rd) {
    send(rd.messagesAfterPersist());
    if (rd.snapshot() != null) installSnapshot(rd);
    if (rd.committedEntries().isEmpty()) {
      finish(rd);
      return;
    }
    clock.committed(rd.committedEntries().get(rd.committedEntries().size() - 1).index(), System.nanoTime());
    MembershipChanges.Applied changed = changes.apply(node, rd.committedEntries(), confState);
    confState = changed.confState();
    if (changed.changed()) transport.updatePeers(membership.members());
    CompletableFuture<Void> before = applying;
    applying = applyStage.apply(changed.forStore(), confState);
    onApplied(applying, "applying committed entries to the store");
    if (changed.changed()) afterMembershipChange(applying, changed.completed());
    if (before.isDone()) {
      finish(rd);
    } else {
      before.whenComplete((v, e) -> context.runOnContext(x -> finish(rd)));
    }
  }

  /**
   * Step 4's snapshot install: the WAL already records the snapshot (step 1); the applier thread now swaps the
   * received store copy in, ahead of any entries committed after it. A member restarted in between installs the
   * copy, which stays on disk until then, when it opens.
   */
  private void installSnapshot(Ready rd) {
    Path copy = snapshots.take(rd.snapshot());
    if (copy == null) {
      fatal("installing the snapshot at index " + rd.snapshot().index(),
          new IllegalStateException("no store copy was received for it"));
      return;
    }
    confState = rd.snapshot().confState();
    if (changes.fromSnapshot(rd.snapshot().data())) {
      transport.updatePeers(membership.members());
      if (changes.localRemoved()) removal.report();
    }
    status.lastIndex(Math.max(status.lastIndex(), rd.snapshot().index()));
    applying = applyStage.install(rd.snapshot(), copy);
    onApplied(applying, "installing a snapshot in the store");
  }

  /**
   * Once the store recorded a membership change: the calls that proposed it complete, and a member that applied its
   * own removal is told to stop.
   */
  private void afterMembershipChange(CompletableFuture<Void> stored, List<CompletableFuture<Void>> completed) {
    stored.whenComplete((v, e) -> context.runOnContext(x -> {
      // once the core has advanced past the change too: until then it would refuse the caller's next change
      Runnable complete = () -> {
        for (CompletableFuture<Void> f : completed) {
          if (e == null) f.complete(null);
          else f.completeExceptionally(e);
        }
        if (e == null && changes.localRemoved()) removal.report();
      };
      if (busy) afterAdvance.add(complete);
      else complete.run();
    }));
  }

  /** Back on the loop once the store is done: reads waiting for it may go, or the member stops. */
  private void onApplied(CompletableFuture<Void> applied, String what) {
    whenDone(applied, what, this::appliedMoved);
  }

  private void appliedMoved() {
    reads.applied(status.appliedIndex());
    status.checkReplayed();
  }

  private void finish(Ready rd) {
    if (stopped) return; // a failed apply already stopped the loop
    node.advance(rd);
    busy = false;
    if (!afterAdvance.isEmpty()) {
      List<Runnable> run = new ArrayList<>(afterAdvance);
      afterAdvance.clear();
      run.forEach(Runnable::run);
    }
    if (!rd.entries().isEmpty()) status.lastIndex(rd.entries().get(rd.entries().size() - 1).index());
    appliedMoved();
    if (idle != null) {
      applying.whenComplete((v, e) -> context.runOnContext(x -> idle.tryComplete()));
      return;
    }
    scheduleReady();
  }

  private void leaderChanged(SoftState ss) {
    long before = status.leaderId();
    status.leader(ss.leader(), ss.role() == SoftState.Role.LEADER);
    if (ss.leader() == before) return;
    LOG.info(() -> String.format("member %x: leader is now %x (term %d)", raftConfig.id(), ss.leader(),
        status.term()));
    if (before != 0) proposals.leaderChanged();
    transfers.leaderIs(ss.leader());
    if (ss.leader() != 0) proposals.retryHeld(node, System.nanoTime());
  }

  /** Sends a Ready's messages; those for one connection to another member leave in one socket write. */
  private void send(List<Message> messages) {
    List<Message> remote = new ArrayList<>(messages.size());
    for (Message m : messages) {
      if (m.type() == MessageType.SNAP) {
        snapshots.send(m, (to, ok) -> {
          if (stopped) return;
          node.reportSnapshot(to, ok);
          scheduleReady();
        });
      } else if (m.to() == raftConfig.id()) {
        context.runOnContext(v -> receive(m));
      } else {
        if (m.type() == MessageType.APP && !m.entries().isEmpty()) {
          clock.sent(m.to(), m.entries().get(m.entries().size() - 1).index(), System.nanoTime());
        }
        remote.add(m);
      }
    }
    if (!remote.isEmpty()) transport.send(remote);
  }

  private void refusedSnapshot(String what) {
    if (snapshotsRefused++ % 100 == 0) {
      LOG.warning("snapshot message " + what + " without its store copy refused (" + snapshotsRefused
          + " refused so far)");
    }
  }

  /** A disk or store failure: what is durable or applied is unknown, so this member stops taking writes. */
  private void fatal(String what, Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    LOG.log(Level.SEVERE, what + " failed; this member refuses further requests", cause);
    stopped = true;
    busy = false;
    refusal = EtcdError.CORRUPT.exception();
    vertx.cancelTimer(timer);
    failAll(refusal);
    if (idle != null) idle.tryComplete();
  }

  private void failAll(EtcdException cause) {
    proposals.failAll(cause);
    changes.failAll(cause);
    reads.failAll(cause);
    transfers.failAll(cause);
    refuseIntake(cause);
  }

  private void refuseIntake() {
    refuseIntake(refusal);
  }

  private void refuseIntake(EtcdException cause) {
    for (Object o : intake.drainAll()) {
      if (o instanceof Intake.Proposal p) proposals.fail(p, cause);
      else if (o instanceof CompletableFuture<?> f) f.completeExceptionally(cause);
    }
  }
}
