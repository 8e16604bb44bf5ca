package io.vkv.node.peer;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * The outgoing connection to one other member. Connects lazily, reconnects with exponential backoff, and never
 * blocks or queues without bound: the frames of one connection attempt (at most {@link #MAX_PENDING}) wait for it,
 * since a proposal forwarded to the leader is not retransmitted by Raft; beyond that, and while the peer is
 * unreachable or too much is queued for its socket, frames are dropped and Raft's retransmission makes up for them.
 * Must be used from one event-loop context.
 *
 * <p>What a connection may queue is counted in frames, as etcd counts messages (4,096 per peer stream), and in bytes:
 * a Raft APP near the request size limit is larger than a socket's usual write buffer, so a byte watermark of that
 * size would drop every APP of a burst of large writes but the first. A frame nothing resends (a forwarded proposal)
 * is held to the frame count only: its bytes are a client's request this member holds anyway.
 */
public final class PeerSender {
  private static final Logger LOG = Logger.getLogger(PeerSender.class.getName());
  static final long MIN_BACKOFF_MS = 50;
  static final long MAX_BACKOFF_MS = 2_000;
  static final int MAX_PENDING = 256;
  static final int MAX_QUEUED_FRAMES = 4_096;
  static final long MAX_QUEUED_BYTES = 64L << 20;

  private final Vertx vertx;
  private final NetClient client;
  private final String host;
  private final int port;
  private NetSocket socket;
  private boolean connecting;
  private boolean closed;
  private long backoffMs = MIN_BACKOFF_MS;
  private long nextAttemptAt;
  private long dropped;
  /**
   * Frames sent while the first connection attempt of a quiet spell is under way, encoded (a buffer may hold
   * several); written once it is up.
   */
  private final ArrayDeque<Encoded> pending = new ArrayDeque<>();
  private int pendingFrames;
  /** Frames written to {@link #socket} and not yet handed to the kernel. */
  private int queuedFrames;
  /** The bytes of those that Raft would send again (the others' bytes are not bounded here). */
  private long queuedBytes;
  /** Frames the peer writes back on this connection (it tells a removed member so). */
  private final io.vertx.core.Handler<Buffer> onReply;

  private record Encoded(Buffer frames, int count, boolean unresent) {}

  public PeerSender(Vertx vertx, NetClient client, String host, int port) {
    this(vertx, client, host, port, b -> { });
  }

  public PeerSender(Vertx vertx, NetClient client, String host, int port, io.vertx.core.Handler<Buffer> onReply) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.onReply = onReply;
  }

  /** Sends one frame if the connection is up and not backed up; returns whether it was written. */
  public boolean send(Buffer payload) {
    return sendEncoded(FrameCodec.encode(payload), 1);
  }

  /**
   * Sends {@code count} frames already encoded one after the other in {@code frames} ({@link FrameCodec#append}),
   * in one socket write: on loopback each write is a system call that also runs the receiver's TCP stack, so the
   * messages of one Raft Ready go together. All are written, or all dropped (returns false).
   */
  public boolean sendEncoded(Buffer frames, int count) {
    return sendEncoded(frames, count, false);
  }

  /**
   * As {@link #sendEncoded(Buffer, int)}; {@code unresent} frames (one nothing would send again, such as a forwarded
   * proposal) are dropped only past the frame count, not past the byte bound.
   */
  public boolean sendEncoded(Buffer frames, int count, boolean unresent) {
    if (socket == null) {
      connectIfDue();
      if (connecting && pendingFrames + count <= MAX_PENDING) {
        pending.add(new Encoded(frames, count, unresent));
        pendingFrames += count;
        return true;
      }
      dropped += count;
      return false;
    }
    if (!fits(frames.length(), count, unresent)) {
      dropped += count;
      return false;
    }
    write(frames, count, unresent);
    return true;
  }

  /**
   * Whether the socket may take these frames now. The byte bound counts only frames Raft would send again, and one
   * such write always goes when none is queued, however large.
   */
  private boolean fits(int bytes, int count, boolean unresent) {
    if (queuedFrames + count > MAX_QUEUED_FRAMES) return false;
    return unresent || queuedBytes == 0 || queuedBytes + bytes <= MAX_QUEUED_BYTES;
  }

  private void write(Buffer frames, int count, boolean unresent) {
    NetSocket to = socket;
    int bytes = unresent ? 0 : frames.length();
    queuedFrames += count;
    queuedBytes += bytes;
    to.write(frames).onComplete(ar -> {
      if (socket != to) return; // a closed connection's queue was forgotten with it
      queuedFrames -= count;
      queuedBytes -= bytes;
    });
  }

  private void connectIfDue() {
    long now = System.currentTimeMillis();
    if (connecting || closed || now < nextAttemptAt) return;
    connecting = true;
    client.connect(port, host).onComplete(ar -> {
      connecting = false;
      if (ar.failed() || closed) {
        if (ar.succeeded()) ar.result().close();
        dropped += pendingFrames;
        pending.clear();
        pendingFrames = 0;
        nextAttemptAt = System.currentTimeMillis() + backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        return;
      }
      backoffMs = MIN_BACKOFF_MS;
      socket = ar.result();
      queuedFrames = 0;
      queuedBytes = 0;
      socket.closeHandler(v -> {
        socket = null;
        nextAttemptAt = System.currentTimeMillis() + MIN_BACKOFF_MS;
      });
      socket.exceptionHandler(e -> LOG.fine(() -> "peer " + host + ":" + port + ": " + e));
      socket.handler(FrameCodec.decoder(onReply, problem -> socket.close()));
      for (Encoded e; (e = pending.poll()) != null; ) write(e.frames, e.count, e.unresent);
      pendingFrames = 0;
    });
  }

  public boolean connected() {
    return socket != null;
  }

  public long dropped() {
    return dropped;
  }

  public void close() {
    closed = true;
    if (socket != null) socket.close();
  }
}
