package io.vkv.node.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vkv.api.internal.PeerFrame;
import io.vkv.consensus.Entry;
import io.vkv.consensus.Message;
import io.vkv.consensus.MessageType;
import io.vkv.node.cluster.Membership;
import io.vkv.node.peer.FrameCodec;
import io.vkv.node.testing.OnContext;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Entries and all other Raft messages go to a member on two connections, as etcd's two streams per peer: a heartbeat
 * sent after megabytes of entries that the member has not read yet still arrives at once. (On one connection it waited
 * behind them, and during a burst of large writes followers started elections.)
 */
class PeerTransportTest {
  @Test
  void aHeartbeatDoesNotWaitBehindEntriesTheMemberHasNotRead() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Map<MessageType, NetSocket> arrivedOn = new ConcurrentHashMap<>();
      NetServer peer = vertx.createNetServer().connectHandler(s -> s.handler(FrameCodec.decoder(payload -> {
        try {
          MessageType type = RaftMessages.fromWire(PeerFrame.parseFrom(payload.getBytes()).getRaft()).type();
          arrivedOn.put(type, s);
          if (type == MessageType.APP) s.pause(); // the member is busy with what it got
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }, problem -> s.close())));
      peer.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

      URI self = URI.create("http://127.0.0.1:1");
      URI other = URI.create("http://127.0.0.1:" + peer.actualPort());
      Membership membership = new Membership("a", Map.of("a", List.of(self), "b", List.of(other)), "t", List.of());
      long to = membership.members().stream().filter(m -> m.getName().equals("b")).findFirst().orElseThrow().getID();
      long from = membership.localId();
      Context context = vertx.getOrCreateContext();
      PeerTransport transport = OnContext.call(context, () -> new PeerTransport(vertx, membership,
          new PeerActivity(TimeUnit.SECONDS.toNanos(1)), null, m -> { }, f -> { }, (s, f) -> { }));
      OnContext.call(context, () -> transport.start(null, membership.members(), 1_000));

      Message app = Message.builder(MessageType.APP).from(from).to(to).term(1)
          .entries(List.of(Entry.normal(1, 1, new byte[1 << 20]))).build();
      Wait.until(Duration.ofSeconds(10), "the first APP to arrive", () -> {
        // the first ones wait for a connection
        OnContext.call(context, () -> { transport.send(List.of(app)); return null; });
        return arrivedOn.containsKey(MessageType.APP);
      });
      OnContext.call(context, () -> {
        for (int i = 0; i < 32; i++) transport.send(List.of(app)); // more than the kernel's socket buffers hold
        return null;
      });
      Message heartbeat = Message.builder(MessageType.HEARTBEAT).from(from).to(to).term(1).build();
      Wait.until(Duration.ofSeconds(10), "the heartbeat to arrive", () -> {
        OnContext.call(context, () -> { transport.send(List.of(heartbeat)); return null; });
        return arrivedOn.containsKey(MessageType.HEARTBEAT);
      });
      assertNotSame(arrivedOn.get(MessageType.APP), arrivedOn.get(MessageType.HEARTBEAT));
      assertEquals(2, arrivedOn.size());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

}
