package io.vkv.node.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.internal.PeerFrame;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
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
 * Raft messages between members: a {@link PeerServer} on this member's peer URL and two {@link PeerSender}s per
 * other member (entries on one, every other message on the other: {@link PeerLink}), each message one
 * {@code PeerFrame}. Used only from the Raft loop's context; sending never blocks
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
  private final Map<Long, PeerLink> links = new HashMap<>();
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
        PeerLink gone = links.remove(e.getKey());
        if (gone != null) gone.close();
      }
    }
    wanted.forEach((id, url) -> {
      if (peerUrls.containsKey(id)) return;
      links.put(id, new PeerLink(sender(url), sender(url)));
      peerUrls.put(id, url);
    });
  }

  private PeerSender sender(URI url) {
    return new PeerSender(vertx, clients.forUrl(url), url.getHost(), url.getPort(), this::reply);
  }

  /**
   * Sends messages to other members, those for one connection in one socket write (one frame each, in order). A
   * connection's messages are dropped together if the member is unknown, not connected or too much is queued for it;
   * Raft retransmits, except a forwarded proposal or read request, which may queue past the sender's byte bound.
   */
  void send(List<Message> messages) {
    Map<PeerSender, Batch> batches = new HashMap<>();
    for (Message m : messages) {
      PeerLink link = links.get(m.to());
      if (link == null) continue;
      PeerFrame frame = PeerFrame.newBuilder().setFrom(localId).setRaft(RaftMessages.toWire(m)).build();
      batches.computeIfAbsent(link.carrying(m), to -> new Batch()).add(frame.toByteArray(), isForwardedRequest(m));
    }
    batches.forEach((sender, b) -> sender.sendEncoded(b.frames, b.count, b.unresent));
  }

  /**
   * The two connections to one member, as etcd keeps two streams per peer: one for the messages that carry log
   * entries (APPs, forwarded proposals), one for all others. A heartbeat, a vote or an acknowledgement then never
   * waits behind megabytes of entries, which during a burst of large writes took longer than an election timeout.
   * Raft does not need the two kinds in order with each other.
   */
  private record PeerLink(PeerSender entries, PeerSender messages) {
    PeerSender carrying(Message m) {
      return m.type() == MessageType.APP || m.type() == MessageType.PROP ? entries : messages;
    }

    void close() {
      entries.close();
      messages.close();
    }
  }

  /** The messages of one Ready for one connection, encoded one after the other. */
  private static final class Batch {
    final Buffer frames = Buffer.buffer();
    int count;
    boolean unresent;

    void add(byte[] frame, boolean forwarded) {
      FrameCodec.append(frames, frame);
      count++;
      unresent |= forwarded;
    }
  }

  /** A client's request passed on to the leader: Raft does not send it again if it is lost. */
  private static boolean isForwardedRequest(Message m) {
    return m.type() == MessageType.PROP || m.type() == MessageType.READ_INDEX;
  }

  /** Sends any frame (this member's id filled in); false if it was dropped. */
  boolean sendFrame(long to, PeerFrame frame) {
    PeerLink link = links.get(to);
    if (link == null) return false;
    return link.messages().send(Buffer.buffer(frame.toBuilder().setFrom(localId).build().toByteArray()));
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
    links.values().forEach(PeerLink::close);
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.compose(v -> clients == null ? Future.succeededFuture() : clients.close());
  }
}
