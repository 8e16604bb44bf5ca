package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.grpc.common.GrpcStatus;
import io.vkv.api.EtcdError;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FailoverAndDeadlineTest {
  private static NodeFixture server;

  @BeforeAll
  static void start() throws Exception {
    server = new NodeFixture();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  /** A loopback port nobody listens on: bound, then released. */
  private static String deadEndpoint() {
    return "127.0.0.1:" + io.vkv.node.testing.Ports.freePort();
  }

  private static VkvClient client(VkvClientOptions options) {
    return VkvClient.create(options.setRetryBackoff(Duration.ofMillis(5)).setMaxRetryBackoff(Duration.ofMillis(50)));
  }

  @Test
  void everyCallSucceedsWithOneDeadEndpointAndOneLive() throws Exception {
    VkvClient client = client(new VkvClientOptions().setEndpoints(List.of(deadEndpoint(), server.endpoint())));
    try {
      for (int i = 0; i < 10; i++) {
        // nothing reached the dead endpoint, so even writes may move on
        Await.result(client.kv().put("fo/" + i, "v"));
        assertEquals(1, Await.result(client.kv().get("fo/" + i)).getCount());
      }
      assertEquals(1, Await.result(client.cluster().memberList()).getMembersCount());
      assertFalse(Await.result(client.maintenance().status()).getVersion().isEmpty());
    } finally {
      Await.result(client.close());
    }
  }

  @Test
  void onlyIdempotentCallsMoveOnAfterAServerSaysUnavailable() {
    try (FakeServer fake = new FakeServer(FakeServer.Mode.UNAVAILABLE)) {
      VkvClient both = client(new VkvClientOptions().setEndpoints(List.of(fake.endpoint(), server.endpoint())));
      VkvClient fakeOnly = client(new VkvClientOptions().addEndpoint(fake.endpoint()).setMaxAttempts(3));
      VkvClient live = client(new VkvClientOptions().addEndpoint(server.endpoint()));
      try {
        Await.result(live.kv().put("fo2/k", "v"));
        for (int i = 0; i < 6; i++) assertEquals(1, Await.result(both.kv().get("fo2/k")).getCount());
        assertTrue(fake.calls.get() >= 1, "round-robin reached the failing endpoint");

        int before = fake.calls.get();
        VkvException put = Await.failure(fakeOnly.kv().put("fo2/k", "v2"));
        assertEquals(GrpcStatus.UNAVAILABLE, put.status());
        assertEquals(EtcdError.NO_LEADER, put.etcdError().orElseThrow());
        assertEquals(before + 1, fake.calls.get(), "a sent write is never retried");

        before = fake.calls.get();
        assertEquals(GrpcStatus.UNAVAILABLE, Await.failure(fakeOnly.kv().get("fo2/k")).status());
        assertEquals(before + 3, fake.calls.get(), "a read is retried up to maxAttempts");
      } finally {
        Await.result(both.close());
        Await.result(fakeOnly.close());
        Await.result(live.close());
      }
    }
  }

  @Test
  void allEndpointsDeadFailsUnavailableAfterMaxAttempts() throws Exception {
    VkvClient client = client(new VkvClientOptions().setEndpoints(List.of(deadEndpoint(), deadEndpoint())).setMaxAttempts(3));
    try {
      assertEquals(GrpcStatus.UNAVAILABLE, Await.failure(client.kv().get("k")).status());
    } finally {
      Await.result(client.close());
    }
  }

  @Test
  void callsExpireAtTheirDeadlineAndTellTheServer() {
    try (FakeServer silent = new FakeServer(FakeServer.Mode.SILENT)) {
      VkvClient client = client(new VkvClientOptions().addEndpoint(silent.endpoint()).setCallTimeout(Duration.ofMillis(300)));
      try {
        long start = System.nanoTime();
        VkvException e = Await.failure(client.kv().get("k"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(GrpcStatus.DEADLINE_EXCEEDED, e.status());
        assertTrue(tookMs >= 250 && tookMs < 5_000, "expired after " + tookMs + " ms");
        assertEquals(1, silent.grpcTimeouts.size());
        assertTrue(silent.grpcTimeouts.peek().matches("[0-9]{1,8}[HMSmun]"), silent.grpcTimeouts.peek());

        assertEquals(GrpcStatus.DEADLINE_EXCEEDED, Await.failure(client.kv().put("k", "v")).status());
      } finally {
        Await.result(client.close());
      }
    }
  }

  @Test
  void aDeadlineThatRanOutOnTheServerIsDeadlineExceeded() {
    try (FakeServer fake = new FakeServer(FakeServer.Mode.SERVER_DEADLINE)) {
      VkvClient client = client(new VkvClientOptions().addEndpoint(fake.endpoint()));
      try {
        VkvException e = Await.failure(client.lock().lock("l", 1, java.time.Duration.ofSeconds(1)));
        assertEquals(GrpcStatus.DEADLINE_EXCEEDED, e.status());
        assertEquals("context deadline exceeded", e.getMessage());
        assertEquals(1, fake.calls.get(), "a lock is not retried");
      } finally {
        Await.result(client.close());
      }
    }
  }
}
