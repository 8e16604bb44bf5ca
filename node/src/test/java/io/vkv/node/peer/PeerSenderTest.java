package io.vkv.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vkv.node.testing.OnContext;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a sender queues for a peer that does not read: frames far larger than a socket's write buffer are queued up to
 * the byte bound (Raft entries near the request size limit must not be dropped after the first), frames nothing
 * resends (forwarded proposals) past it, and nothing past the frame count; everything queued arrives once the peer
 * reads again.
 */
class PeerSenderTest {
  static final int MIB = 1 << 20;

  private Vertx vertx;
  private NetServer server;
  private NetClient client;
  private Context context;
  private final AtomicReference<NetSocket> accepted = new AtomicReference<>();
  private final AtomicLong framesReceived = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(s -> {
      s.pause(); // a peer that stopped reading
      s.handler(FrameCodec.decoder(frame -> framesReceived.incrementAndGet(), problem -> s.close()));
      accepted.set(s);
    });
    server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    client = vertx.createNetClient();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }


  private PeerSender connectedSender() throws Exception {
    PeerSender sender = OnContext.call(context, () -> new PeerSender(vertx, client, "127.0.0.1", server.actualPort()));
    assertTrue(OnContext.call(context, () -> sender.send(Buffer.buffer("hello")))); // waits for the connection attempt
    Wait.until(Duration.ofSeconds(10), "the sender to connect",
        () -> OnContext.call(context, sender::connected) && accepted.get() != null);
    return sender;
  }

  private static Buffer frames(int count, int bytesEach) {
    Buffer b = Buffer.buffer();
    for (int i = 0; i < count; i++) FrameCodec.append(b, new byte[bytesEach]);
    return b;
  }

  @Test
  void largeFramesQueueUpToTheByteBoundThenOnlyUnresentOnesAndAllArrive() throws Exception {
    PeerSender sender = connectedSender();
    // one turn of the event loop: a write completing in between (the kernel taking more) would change the counts
    int[] outcome = OnContext.call(context, () -> {
      int n = 0;
      while (sender.sendEncoded(frames(1, MIB), 1, false)) n++;
      boolean resendablePastBound = sender.sendEncoded(frames(1, MIB), 1, false);
      boolean unresentPastBound = sender.sendEncoded(frames(2, MIB), 2, true);
      return new int[] {n, resendablePastBound ? 1 : 0, unresentPastBound ? 1 : 0};
    });
    int sent = outcome[0];
    // the kernel's socket buffers take a few MiB; the sender's own queue takes the rest up to 64 MiB
    assertTrue(sent >= PeerSender.MAX_QUEUED_BYTES / MIB, "only " + sent + " frames of 1 MiB were queued");
    assertTrue(sent <= PeerSender.MAX_QUEUED_BYTES / MIB + 64, sent + " frames of 1 MiB were queued");
    assertEquals(0, outcome[1], "a resendable frame past the bound was queued");
    assertEquals(1, outcome[2], "a forwarded proposal past the bound was refused");
    assertEquals(2, OnContext.call(context, sender::dropped),
        "frames dropped: the one that ended the loop and the one after it");

    accepted.get().resume();
    long expected = 1 + sent + 2;
    Wait.until(Duration.ofSeconds(30), () -> "all " + expected + " frames to arrive, " + framesReceived.get() + " did",
        () -> framesReceived.get() == expected);
    assertTrue(OnContext.call(context, () -> sender.sendEncoded(frames(1, MIB), 1, false)),
        "a frame once the queue drained");
  }

  @Test
  void noMoreThanTheFrameCountIsQueuedWhateverItsSize() throws Exception {
    PeerSender sender = connectedSender();
    // fill the kernel's buffers first, so that what follows stays in the sender's queue
    OnContext.call(context, () -> {
      while (sender.sendEncoded(frames(1, MIB), 1, false)) { }
      return null;
    });
    // one turn of the event loop, as above: the last check must see the queue the loop filled
    int[] outcome = OnContext.call(context, () -> {
      int n = 0;
      while (sender.sendEncoded(frames(1, 10), 1, true)) n++;
      return new int[] {n, sender.sendEncoded(frames(1, 10), 1, false) ? 1 : 0};
    });
    int small = outcome[0];
    // the 1 MiB frames still queued (at most 64 MiB of them) count against the same 4,096
    assertTrue(small >= PeerSender.MAX_QUEUED_FRAMES - 80 && small < PeerSender.MAX_QUEUED_FRAMES,
        small + " small unresent frames were queued");
    assertEquals(0, outcome[1], "a small resendable frame past the frame count was queued");
  }
}
