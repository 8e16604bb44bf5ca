package io.vkv.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.PeerFrame;
import io.vkv.consensus.Message;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.RaftMessage;
import io.vkv.node.cluster.Membership;
import io.vkv.node.peer.FrameCodec;
import io.vkv.node.peer.MembersFetch;
import io.vkv.node.peer.PeerSender;
import io.vkv.node.peer.SnapshotReceiver;
import io.vkv.node.peer.SnapshotSender;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import io.vkv.node.peer.PeerServer;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Raft messages between members: a {@link PeerServer} on this member's peer URL and one {@link PeerSender} per
 * other member, each message one {@code PeerFrame}. Used only from the Raft loop's context; sending never blocks
 * (an unreachable peer's frames are dropped and Raft retransmits).
 */
final class PeerTransport {
  private static final Logger LOG = Logger.getLogger(PeerTransport.class.getName());

  private final Vertx vertx;
  private final long localId;
  private final Membership membership;
  private final Consumer<Message> onMessage;
  private final Consumer<PeerFrame> onOtherFrame;
  private final java.util.function.BiConsumer<NetSocket, PeerFrame> onRequest;
  private final Map<Long, PeerSender> senders = new HashMap<>();
  private final Map<Long, URI> peerUrls = new HashMap<>();
  private SnapshotReceiver snapshots;
  private final PeerActivity activity;
  private long refusedFromRemoved;
  private boolean toldRemoved;
  private Runnable onRemoved = () -> { };
  private final io.vkv.node.tls.TlsContext tls;
  private io.vkv.node.peer.PeerClients clients;
  private PeerServer server;

  /**
   * @param onOtherFrame frames that are not Raft messages (lease calls between members)
   * @param onRequest questions asked on a connection of their own, answered on it (hash requests)
   */
  PeerTransport(Vertx vertx, Membership membership, PeerActivity activity, io.vkv.node.tls.TlsContext tls,
                Consumer<Message> onMessage, Consumer<PeerFrame> onOtherFrame,
                java.util.function.BiConsumer<NetSocket, PeerFrame> onRequest) {
    this.onRequest = onRequest;
    this.vertx = vertx;
    this.tls = tls;
    this.activity = activity;
    this.membership = membership;
    this.localId = membership.localId();
    this.onMessage = onMessage;
    this.onOtherFrame = onOtherFrame;
  }

  /** Call on the Raft loop's context: the server delivers frames, and the senders run, on it. */
  Future<Integer> start(URI listen, List<Member> members, long electionTimeoutMs) {
    clients = new io.vkv.node.peer.PeerClients(vertx, new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout((int) Math.max(100, electionTimeoutMs)), tls);
    updatePeers(members);
    if (listen == null) return Future.succeededFuture(0); // a member without peer URLs only works alone
    server = new PeerServer(vertx, this::receive);
    return server.listen(listen.getHost(), listen.getPort(), "https".equals(listen.getScheme()) ? tls : null);
  }

  /**
   * Connects to the members as they are now: a sender for each new member, none for a removed one, a new one for a
   * member whose peer URL changed.
   */
  void updatePeers(List<Member> members) {
    Map<Long, URI> wanted = new HashMap<>();
    for (Member m : members) {
      if (m.getID() != localId && m.getPeerURLsCount() > 0) wanted.put(m.getID(), URI.create(m.getPeerURLs(0)));
    }
    for (var it = peerUrls.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().equals(wanted.get(e.getKey()))) {
        it.remove();
        PeerSender gone = senders.remove(e.getKey());
        if (gone != null) gone.close();
      }
    }
    wanted.forEach((id, url) -> {
      if (peerUrls.containsKey(id)) return;
      senders.put(id, new PeerSender(vertx, clients.forUrl(url), url.getHost(), url.getPort(), this::reply));
      peerUrls.put(id, url);
    });
  }

  /**
   * Sends messages to other members, those for one member in one socket write (one frame each, in order). A
   * member's messages are dropped together if it is unknown, not connected or its socket is backed up; Raft
   * retransmits.
   */
  void send(List<Message> messages) {
    Map<Long, Batch> batches = new HashMap<>();
    for (Message m : messages) {
      if (!senders.containsKey(m.to())) continue;
      PeerFrame frame = PeerFrame.newBuilder().setFrom(localId).setRaft(RaftMessages.toWire(m)).build();
      batches.computeIfAbsent(m.to(), to -> new Batch()).add(frame.toByteArray());
    }
    batches.forEach((to, b) -> senders.get(to).sendEncoded(b.frames, b.count));
  }

  /** The messages of one Ready for one member, encoded one after the other. */
  private static final class Batch {
    final Buffer frames = Buffer.buffer();
    int count;

    void add(byte[] frame) {
      FrameCodec.append(frames, frame);
      count++;
    }
  }

  /** Sends any frame (this member's id filled in); false if it was dropped. */
  boolean sendFrame(long to, PeerFrame frame) {
    PeerSender sender = senders.get(to);
    if (sender == null) return false;
    return sender.send(Buffer.buffer(frame.toBuilder().setFrom(localId).build().toByteArray()));
  }

  /** Where snapshot chunks go (set before {@link #start}). */
  void snapshotReceiver(SnapshotReceiver receiver) {
    this.snapshots = receiver;
  }

  /** Streams a snapshot to member {@code to} on a connection of its own; completes on this loop's context. */
  Future<Void> sendSnapshot(long to, RaftMessage message, Path file, Executor io, long idleTimeoutMs) {
    URI url = peerUrls.get(to);
    if (url == null) return Future.failedFuture("no peer URL for member " + Long.toHexString(to));
    return SnapshotSender.send(vertx, clients.forUrl(url), url.getHost(), url.getPort(), io, localId, message, file, idleTimeoutMs);
  }

  /** A frame a peer wrote back on our connection to it: only "you were removed" is expected. */
  private void reply(Buffer payload) {
    try {
      PeerFrame f = PeerFrame.parseFrom(payload.getBytes());
      if (f.getRemoved() && !toldRemoved) {
        toldRemoved = true;
        LOG.severe(() -> String.format("member %x says this member (%x) was removed from the cluster", f.getFrom(), localId));
        onRemoved.run();
      }
    } catch (InvalidProtocolBufferException e) {
      LOG.fine(() -> "dropping an unreadable reply frame: " + e.getMessage());
    }
  }

  /** Told once a peer says this member was removed (it was down when the removal was applied). */
  void onRemoved(Runnable listener) {
    onRemoved = listener;
  }

  private void receive(NetSocket socket, Buffer payload) {
    PeerFrame frame;
    try {
      frame = PeerFrame.parseFrom(payload.getBytes());
    } catch (InvalidProtocolBufferException e) {
      LOG.warning(() -> "dropping an unreadable peer frame: " + e.getMessage());
      return;
    }
    if (frame.hasSnapshotChunk()) {
      if (snapshots != null) snapshots.onChunk(socket, frame.getSnapshotChunk());
      else socket.close();
      return;
    }
    if (frame.hasMembersRequest()) {
      // a member started with --initial-cluster-state existing asks who is in the cluster
      MembersFetch.reply(socket, PeerFrame.newBuilder().setFrom(localId).setMembersReply(membership.record()).build());
      return;
    }
    if (frame.hasHashKvRequest()) {
      onRequest.accept(socket, frame);
      return;
    }
    if (membership.isRemoved(frame.getFrom()) && !frame.hasClusterReply()) {
      // a removed member's answer to a call it was handed before it left still counts; nothing else does
      if (refusedFromRemoved++ % 100 == 0) {
        LOG.warning(() -> String.format("refusing frames from member %x, which was removed from the cluster (%d so far)",
            frame.getFrom(), refusedFromRemoved));
      }
      MembersFetch.reply(socket, PeerFrame.newBuilder().setFrom(localId).setRemoved(true).build());
      return;
    }
    activity.heard(frame.getFrom(), System.nanoTime());
    if (frame.hasLeaseCall() || frame.hasLeaseReply() || frame.hasClusterCall() || frame.hasClusterReply()) {
      onOtherFrame.accept(frame);
      return;
    }
    if (!frame.hasRaft()) return; // writes are forwarded as Raft proposals, not as PeerFrame.forward
    if (frame.getRaft().getTo() != localId) {
      LOG.warning(() -> "dropping a message for member " + Long.toHexString(frame.getRaft().getTo())
          + " sent to this member (" + Long.toHexString(localId) + ") by " + Long.toHexString(frame.getFrom()));
      return;
    }
    onMessage.accept(RaftMessages.fromWire(frame.getRaft()));
  }

  Future<Void> close() {
    senders.values().forEach(PeerSender::close);
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> clients == null ? Future.succeededFuture() : clients.close());
  }
}
