package io.vkv.node.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import io.vkv.api.internal.RaftMessage;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's slow and lossy links: frames from a delayed sender arrive after the delay, in the order they were
 * sent; a lossy link drops about its share of the frames, in no particular pattern, and only from its sender.
 */
class PeerProxyDelayTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  private record Arrival(long from, long index, long nanos) { }

  private Vertx vertx;
  private NetServer member;
  private PeerProxy proxy;
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    member = vertx.createNetServer().connectHandler(s -> s.handler(FrameCodec.decoder(payload -> {
      try {
        PeerFrame f = PeerFrame.parseFrom(payload.getBytes());
        arrivals.add(new Arrival(f.getFrom(), f.getRaft().getIndex(), System.nanoTime()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, error -> s.close())));
    member.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    proxy = PeerProxy.start(vertx, member.actualPort());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private NetSocket connect() throws Exception {
    return vertx.createNetClient().connect(proxy.port(), "127.0.0.1").toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static void send(NetSocket s, long from, long index) {
    PeerFrame f = PeerFrame.newBuilder().setFrom(from)
        .setRaft(RaftMessage.newBuilder().setFrom(from).setIndex(index)).build();
    s.write(FrameCodec.encode(Buffer.buffer(f.toByteArray())));
  }

  private void awaitArrivals(int n) {
    Wait.until(LIMIT, () -> n + " frames through the proxy, got " + arrivals, () -> arrivals.size() >= n);
  }

  @Test
  void aDelayedSendersFramesArriveAfterTheDelayOthersDoNotWait() throws Exception {
    proxy.delayFrom(7, 1_000);
    NetSocket slow = connect();
    NetSocket fast = connect();
    long sent = System.nanoTime();
    send(slow, 7, 1);
    send(fast, 8, 1);
    awaitArrivals(2);
    assertEquals(8, arrivals.get(0).from(), "the undelayed link waited behind the slow one: " + arrivals);
    assertTrue(arrivals.get(1).nanos() - sent >= TimeUnit.MILLISECONDS.toNanos(1_000), "arrived before the delay");
  }

  @Test
  void framesKeepTheirOrderWhenTheDelayIsLowered() throws Exception {
    proxy.delayFrom(7, 500);
    NetSocket s = connect();
    long sent = System.nanoTime();
    send(s, 7, 1);
    send(s, 7, 2);
    // the delay is lowered while those wait: later frames must not overtake them
    Wait.until(LIMIT, "the first frames sent", () -> System.nanoTime() - sent > TimeUnit.MILLISECONDS.toNanos(50));
    proxy.delayFrom(7, 0);
    for (int i = 3; i <= 20; i++) send(s, 7, i);
    awaitArrivals(20);
    for (int i = 0; i < 20; i++) assertEquals(i + 1, arrivals.get(i).index(), "out of order: " + arrivals);
    assertTrue(arrivals.get(0).nanos() - sent >= TimeUnit.MILLISECONDS.toNanos(500), "arrived before the delay");
  }

  @Test
  void healingRemovesTheDelay() throws Exception {
    proxy.delayFrom(7, 60_000);
    proxy.healAll();
    NetSocket s = connect();
    send(s, 7, 1);
    awaitArrivals(1);
  }

  @Test
  void aLossyLinkDropsAboutItsShareAndOnlyFromItsSender() throws Exception {
    proxy.loseFrom(7, 0.5);
    NetSocket lossy = connect();
    NetSocket clean = connect();
    for (int i = 1; i <= 400; i++) send(lossy, 7, i);
    for (int i = 1; i <= 100; i++) send(clean, 8, i);
    Wait.until(LIMIT, "every frame from the clean link", () -> arrivals.stream().filter(a -> a.from() == 8).count() == 100);
    // markers behind them on the same connection: once one arrives, the proxy has judged every frame before it
    // (one of 30 markers gets through unless all are lost, probability 1e-9)
    for (int i = 401; i <= 430; i++) send(lossy, 7, i);
    Wait.until(LIMIT, "a marker", () -> arrivals.stream().anyMatch(a -> a.from() == 7 && a.index() > 400));
    long through = arrivals.stream().filter(a -> a.from() == 7 && a.index() <= 400).count();
    // 400 draws at one half: outside [140, 260] has a probability below 1e-9
    assertTrue(through >= 140 && through <= 260, through + " of 400 frames went through a link losing half");
    List<Long> order = arrivals.stream().filter(a -> a.from() == 7).map(Arrival::index).toList();
    for (int i = 1; i < order.size(); i++) assertTrue(order.get(i) > order.get(i - 1), "reordered: " + order);
  }
}
