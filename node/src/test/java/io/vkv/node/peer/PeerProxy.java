package io.vkv.node.peer;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of one member's peer port, for partition tests: the cluster's peer URL of the
 * member points at the proxy, which relays every peer frame to the member's real peer port unless the link from
 * the frame's sender is cut (and relays whatever the member answers back). A cut link drops frames silently, as a network that loses
 * packets does (the TCP connections stay up, so the test exercises Raft's timeouts, not the transport's reconnects). All members
 * send to a member over their own connection, so each frame's {@code from} names the link it travels on.
 * A slow link delays each frame from its sender by a set time, keeping the frames of a connection in order
 * ({@link DelayLine}).
 */
public final class PeerProxy implements AutoCloseable {
  private final Vertx vertx;
  private final NetServer server;
  private final NetClient client;
  private final int targetPort;
  /** Members whose frames to this member are dropped. */
  private final Set<Long> cutFrom = ConcurrentHashMap.newKeySet();
  /** Delay in milliseconds of the frames from a member to this member. */
  private final Map<Long, Long> delayFrom = new ConcurrentHashMap<>();
  /** The share of the frames from a member to this member that are dropped, one by one at random. */
  private final Map<Long, Double> lossFrom = new ConcurrentHashMap<>();

  private PeerProxy(Vertx vertx, int targetPort) {
    this.vertx = vertx;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
    this.server = vertx.createNetServer();
  }

  /** Listens on an ephemeral loopback port and relays to {@code targetPort} on 127.0.0.1. */
  public static PeerProxy start(Vertx vertx, int targetPort) throws Exception {
    PeerProxy p = new PeerProxy(vertx, targetPort);
    p.server.connectHandler(p::accept);
    p.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return p;
  }

  public int port() {
    return server.actualPort();
  }

  public void cutFrom(long memberId) {
    cutFrom.add(memberId);
  }

  public void healFrom(long memberId) {
    cutFrom.remove(memberId);
  }

  /** Delays every frame from {@code memberId} by {@code millis} (0: no delay) before it reaches the member. */
  public void delayFrom(long memberId, long millis) {
    if (millis <= 0) delayFrom.remove(memberId);
    else delayFrom.put(memberId, millis);
  }

  /**
   * Drops each Raft frame from {@code memberId} with probability {@code share} (0: none). Snapshot chunks are never
   * dropped: they are parts of one stream, which TCP delivers whole or not at all (a cut link drops them).
   */
  public void loseFrom(long memberId, double share) {
    if (share <= 0) lossFrom.remove(memberId);
    else lossFrom.put(memberId, share);
  }

  /** Reconnects every cut link and removes every delay and loss. */
  public void healAll() {
    cutFrom.clear();
    delayFrom.clear();
    lossFrom.clear();
  }

  private void accept(NetSocket in) {
    in.pause();
    client.connect(targetPort, "127.0.0.1").onComplete(ar -> {
      if (ar.failed()) {
        in.close();
        return;
      }
      NetSocket out = ar.result();
      DelayLine line = new DelayLine(vertx, in, out);
      in.closeHandler(v -> {
        line.close();
        out.close();
      });
      out.closeHandler(v -> {
        line.close();
        in.close();
      });
      in.exceptionHandler(e -> in.close());
      out.exceptionHandler(e -> out.close());
      // the member would drop a connection with a bad frame length: so does the proxy
      in.handler(FrameCodec.decoder(payload -> relay(payload, line), error -> in.close()));
      out.handler(in::write); // a snapshot transfer's acknowledgement comes back on the same connection
      in.resume();
    });
  }

  private void relay(Buffer payload, DelayLine line) {
    long from;
    boolean stream = false;
    try {
      PeerFrame frame = PeerFrame.parseFrom(payload.getBytes());
      from = frame.getFrom();
      stream = frame.hasSnapshotChunk();
    } catch (InvalidProtocolBufferException e) {
      from = 0; // not ours to judge: the member logs and drops it
    }
    if (cutFrom.contains(from)) return;
    if (!stream && ThreadLocalRandom.current().nextDouble() < lossFrom.getOrDefault(from, 0.0)) return;
    line.send(FrameCodec.encode(payload), stream, delayFrom.getOrDefault(from, 0L));
  }

  @Override
  public void close() throws Exception {
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
