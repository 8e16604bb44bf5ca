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
    int sent = OnContext.call(context, () -> {
      int n = 0;
      while (sender.sendEncoded(frames(1, MIB), 1, false)) n++;
      return n;
    });
    // the kernel's socket buffers take a few MiB; the sender's own queue takes the rest up to 64 MiB
    assertTrue(sent >= PeerSender.MAX_QUEUED_BYTES / MIB, "only " + sent + " frames of 1 MiB were queued");
    assertTrue(sent <= PeerSender.MAX_QUEUED_BYTES / MIB + 64, sent + " frames of 1 MiB were queued");
    assertFalse(OnContext.call(context, () -> sender.sendEncoded(frames(1, MIB), 1, false)),
        "a resendable frame past the bound");
    assertTrue(OnContext.call(context, () -> sender.sendEncoded(frames(2, MIB), 2, true)),
        "a forwarded proposal past the bound");
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
    int small = OnContext.call(context, () -> {
      int n = 0;
      while (sender.sendEncoded(frames(1, 10), 1, true)) n++;
      return n;
    });
    // the 1 MiB frames still queued (at most 64 MiB of them) count against the same 4,096
    assertTrue(small >= PeerSender.MAX_QUEUED_FRAMES - 80 && small < PeerSender.MAX_QUEUED_FRAMES,
        small + " small unresent frames were queued");
    assertFalse(OnContext.call(context, () -> sender.sendEncoded(frames(1, 10), 1, true)));
  }
}
