package io.vkv.node.raft;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vkv.api.EtcdError;
import io.vkv.api.internal.InternalRequest;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.ClusterMembers;
import io.vkv.consensus.ConfChange;
import io.vkv.consensus.ConfState;
import io.vkv.consensus.Config;
import io.vkv.node.NodeConfig;
import io.vkv.node.apply.Applier;
import io.vkv.node.apply.Proposer;
import io.vkv.node.apply.Waiters;
import io.vkv.node.apply.WriteStages;
import io.vkv.node.cluster.Membership;
import io.vkv.store.ApplyResult;
import io.vkv.wal.Wal;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Every write goes through Raft, on a one-member cluster too. Client threads hand requests to the {@link Intake};
 * the {@link RaftLoop} verticle (deploy {@link #verticle()} before serving clients) proposes them, and the client
 * call completes when this member applies the entry carrying its request id.
 */
public final class RaftProposer implements Proposer {
  private static final Logger LOG = Logger.getLogger(RaftProposer.class.getName());

  private final Waiters waiters;
  private final Intake intake = new Intake();
  private final RaftStatus status;
  private final ApplyStage applyStage;
  private final RaftLoop loop;
  private final AtomicLong nextRequestId;
  private volatile boolean closed;
  private Vertx loopVertx;

  private RaftProposer(Waiters waiters, RaftStatus status, ApplyStage applyStage, RaftSettings settings,
                       WalStorage storage, long memberId, long noLeaderWaitNanos, long requestTimeoutNanos,
                       WriteStages stages) {
    this.waiters = waiters;
    this.status = status;
    this.applyStage = applyStage;
    this.loop = new RaftLoop(settings, storage, applyStage, intake,
        new PendingProposals(waiters, noLeaderWaitNanos, requestTimeoutNanos), status, stages);
    // the member id in the high bits keeps request ids unique across members (a waiter lives where it was proposed)
    this.nextRequestId = new AtomicLong((memberId & 0xFFFFL) << 48 | (System.currentTimeMillis() & 0xFFFFFFFFFFL) << 8);
  }

  /** The membership with the local member under the id its data dir was bootstrapped with. */
  public static Membership recordedMembership(Wal wal, Membership fromFlags) {
    long recorded = WalStorage.recordedLocalId(wal);
    return recorded == 0 ? fromFlags : fromFlags.withLocalId(recorded);
  }

  /**
   * Writes a brand-new WAL's bootstrap record (every member of {@code membership} a voter at index 1, term 1), as a
   * first start does; for a data dir built by a restore. False if the WAL was not new.
   */
  public static boolean bootstrap(Wal wal, Membership membership) throws Exception {
    ConfState members = new ConfState(membership.members().stream().map(m -> m.getID()).sorted().toList(), List.of());
    return WalStorage.bootstrapIfNew(wal, members, membership.localId());
  }

  /**
   * Opens the Raft state of this member: on a brand-new WAL writes the bootstrap membership (every member of
   * --initial-cluster a voter); on restart the store's consistent index says what is applied and the WAL's
   * committed rest is replayed through Raft ({@link #replayed()}).
   *
   * @param checkpoint makes everything applied so far durable in the store (so the WAL prefix can go)
   * @param stages where the write path's stage timings go
   */
  public static RaftProposer open(NodeConfig config, Membership membership, Wal wal, Applier applier,
                                  Waiters waiters, Runnable checkpoint, WriteStages stages) throws Exception {
    return open(config, membership, false, wal, applier, () -> null, waiters, checkpoint, stages);
  }

  /**
   * @param joining this member was added to a running cluster and starts with an empty log: it bootstraps nothing
   *     and waits for the leader, which sends it a snapshot and then the log
   * @param recordedMembers the membership the store records with its applied index (null if none), which {@code
   *     membership} already reflects
   */
  public static RaftProposer open(NodeConfig config, Membership membership, boolean joining, Wal wal, Applier applier,
                                  Supplier<ClusterMembers> recordedMembers, Waiters waiters, Runnable checkpoint,
                                  WriteStages stages) throws Exception {
    ConfState members = joining ? ConfState.EMPTY
        : new ConfState(membership.members().stream().map(m -> m.getID()).sorted().toList(), List.of());
    if (!joining && WalStorage.bootstrapIfNew(wal, members, membership.localId())) {
      LOG.info(() -> "bootstrapped a new Raft log with voters " + members);
    }
    long snapshotIndex = wal.snapshot().index();
    java.nio.file.Path snapshotDir = config.dataDir().resolve("member").resolve("snap");
    SnapshotFiles.recover(snapshotDir, snapshotIndex, applier);
    long storeApplied = applier.appliedIndex();
    if (storeApplied < snapshotIndex && snapshotIndex > 1) {
      throw new IllegalStateException("the store is at index " + storeApplied + " but the WAL starts after index "
          + snapshotIndex + ": entries in between are lost");
    }
    long applied = Math.max(storeApplied, snapshotIndex);
    if (applied > wal.lastIndex()) {
      throw new IllegalStateException("the store is at index " + applied + " but the WAL ends at index "
          + wal.lastIndex() + " (a data dir written before Raft, or a WAL that lost acknowledged entries)");
    }
    // the store applies committed entries only: its index is a commit index even where the WAL's (unsynced) is older
    long commit = Math.max(applied, wal.hardState().commit());
    ConfState appliedMembers = recordedMembers.get() == null ? null : membership.confState();
    WalStorage storage = new WalStorage(wal, members, membership.localId(), commit, appliedMembers);
    long id = membership.localId();
    int electionTicks = (int) (config.electionTimeoutMs() / config.heartbeatIntervalMs());
    Config raft = new Config(id, electionTicks, 1, 1 << 20, 256, true, true, id ^ System.nanoTime(), applied);
    URI listen = config.listenPeerUrls().isEmpty() ? null : config.listenPeerUrls().get(0);
    RaftSettings settings = new RaftSettings(raft, config.heartbeatIntervalMs(), config.electionTimeoutMs(), listen,
        membership, snapshotDir,
        io.vkv.node.tls.TlsContext.create("peer", config.peerTls(), config.listenPeerUrls(), config.dataDir()));
    RaftStatus status = new RaftStatus(applier, snapshotIndex, commit, wal.hardState().term(), storage.lastIndex());
    long electionNanos = config.electionTimeoutMs() * 1_000_000L;
    // etcd's request timeout: 5 s plus two election timeouts
    return new RaftProposer(waiters, status, new ApplyStage(applier, storage, checkpoint, stages, config.logRetention()),
        settings, storage, id, 3 * electionNanos, 5_000_000_000L + 2 * electionNanos, stages);
  }

  /**
   * Starts the Raft loop, before serving clients, on a Vert.x instance with one event loop of its own: the loop
   * writes and forces the WAL on its own thread (WalStorage.persist), which must hold up no client connection or
   * timer. Completes once the peer port listens.
   */
  public Future<Void> startLoop() {
    loopVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    return loopVertx.deployVerticle(loop).<Void>mapEmpty()
        .recover(e -> loopVertx.close().transform(closed -> Future.failedFuture(e)));
  }

  /** Stops the Raft loop (at a Ready boundary), after the clients stopped. */
  public Future<Void> stopLoop() {
    return loopVertx == null ? Future.succeededFuture() : loopVertx.close();
  }

  /** Completes once the store has applied everything the WAL says was committed before this start. */
  public CompletableFuture<Void> replayed() {
    return status.replayed();
  }

  @Override
  public CompletableFuture<ApplyResult> propose(InternalRequest request) {
    return propose(request, null);
  }

  @Override
  public CompletableFuture<ApplyResult> propose(InternalRequest request, Executor completeOn) {
    return offer(request, completeOn, false);
  }

  @Override
  public CompletableFuture<ApplyResult> proposeAsLeader(InternalRequest request) {
    return offer(request, null, true);
  }

  private CompletableFuture<ApplyResult> offer(InternalRequest request, Executor completeOn, boolean leaderOnly) {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    long id = nextRequestId.incrementAndGet();
    CompletableFuture<ApplyResult> result = waiters.register(id, completeOn);
    if (!intake.offer(new Intake.Proposal(id, withId(request, id), leaderOnly))) {
      waiters.fail(id, EtcdError.TOO_MANY_REQUESTS.exception());
    }
    return result;
  }

  /**
   * The request's bytes with its id: the id is field 1, so writing it in front of the request's own encoding
   * (which has no id) gives the same bytes as setting it on a copy and encoding that, without the copy.
   */
  static byte[] withId(InternalRequest request, long id) {
    if (request.getId() != 0) return request.toBuilder().setId(id).build().toByteArray();
    int idSize = CodedOutputStream.computeUInt64Size(InternalRequest.ID_FIELD_NUMBER, id);
    byte[] out = new byte[idSize + request.getSerializedSize()];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeUInt64(InternalRequest.ID_FIELD_NUMBER, id);
      request.writeTo(o);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public CompletableFuture<Void> readBarrier() {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    CompletableFuture<Void> ready = new CompletableFuture<>();
    if (!intake.offer(ready)) ready.completeExceptionally(EtcdError.TOO_MANY_REQUESTS.exception());
    return ready;
  }

  /**
   * Proposes a membership change about {@code member} (for a removal only its id matters); completes once this
   * member applied it.
   */
  public CompletableFuture<Void> proposeConfChange(ConfChange.Type type, Member member) {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    return loop.proposeConfChange(type, member, nextRequestId.incrementAndGet());
  }

  /** When this member's current active period with peer {@code id} began (System.nanoTime), -1 if not active. */
  public long activeSince(long id) {
    return loop.activeSince(id);
  }

  /** When this member last became leader (System.nanoTime); meaningful while {@link #isLeader()}. */
  public long leaderSinceNanos() {
    return status.leaderSinceNanos();
  }

  /** The consensus core's status (on the leader: every peer's match index). */
  public CompletableFuture<io.vkv.consensus.Status> coreStatus() {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    return loop.coreStatus();
  }

  /** Told (on the Raft loop) once this member applied its own removal, or a peer said it was removed. */
  public void onRemoved(Runnable listener) {
    loop.onRemoved(listener);
  }

  /** Told on the Raft loop whenever this member becomes leader (true) or stops being it (false). */
  public void onRoleChange(java.util.function.Consumer<Boolean> listener) {
    status.roleListener(listener);
  }

  /** Receives the lease calls and replies other members send (on the Raft loop's context). */
  public void onPeerFrame(java.util.function.Consumer<io.vkv.api.internal.PeerFrame> handler) {
    loop.frameHandler(handler);
  }

  /**
   * Answers the requests other members ask on a connection of their own (the corruption check's hash requests),
   * called on the Raft loop's context with the connection to answer on; the handler must not block.
   */
  public void onPeerRequest(java.util.function.BiConsumer<io.vertx.core.net.NetSocket, io.vkv.api.internal.PeerFrame> handler) {
    loop.peerRequestHandler(handler);
  }

  /** Sends a lease call or reply to another member; dropped silently if it cannot be sent. */
  public void sendPeerFrame(long to, io.vkv.api.internal.PeerFrame frame) {
    loop.sendFrame(to, frame);
  }

  public boolean isLeader() {
    return status.isLeader();
  }

  @Override
  public long leaderId() {
    return status.leaderId();
  }

  @Override
  public CompletableFuture<Void> moveLeader(long targetId) {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    return loop.moveLeader(targetId);
  }

  @Override
  public CompletableFuture<Void> defragment() {
    if (closed) return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
    return applyStage.defragment();
  }

  @Override
  public long committedIndex() {
    return status.commitIndex();
  }

  @Override
  public long appliedIndex() {
    return status.appliedIndex();
  }

  @Override
  public long lastIndex() {
    return status.lastIndex();
  }

  @Override
  public long term() {
    return status.term();
  }

  /** After the loop was undeployed: lets the applier finish, then fails whatever still waits. */
  @Override
  public void close() {
    closed = true;
    applyStage.close();
    for (Object o : intake.drainAll()) {
      if (o instanceof CompletableFuture<?> f) f.completeExceptionally(EtcdError.STOPPED.exception());
    }
    waiters.failAll();
  }
}
