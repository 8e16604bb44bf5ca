package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.grpc.common.GrpcStatus;
import io.vkv.node.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long-lived streams with credentials against a server that refuses stale tokens on a stream: a refused token makes
 * the stream reopen with a new one (one Authenticate), and a wrong password ends the stream instead of looping.
 */
class StreamTokenRefreshTest {

  private static VkvClient client(TokenCheckingServer server, String password) {
    return VkvClient.create(new VkvClientOptions().addEndpoint(server.endpoint()).setUser("alice").setPassword(password)
        .setRetryBackoff(Duration.ofMillis(10)).setMaxRetryBackoff(Duration.ofMillis(100)));
  }

  @Test
  void aKeepAliveWhoseTokenIsRefusedReopensWithANewToken() {
    try (TokenCheckingServer server = new TokenCheckingServer("pw")) {
      VkvClient client = client(server, "pw");
      try {
        LeaseKeepAlive keepAlive = client.lease().keepAlive(7);
        KeepAliveRecorder renewals = KeepAliveRecorder.of(keepAlive);
        renewals.awaitRenewals(1);
        server.dropTokens();
        Wait.until(Duration.ofSeconds(20), () -> "authentications " + server.authentications.get(),
            () -> server.authentications.get() == 2);
        int before = renewals.renewals.size();
        renewals.awaitRenewals(before + 1);
        assertEquals(List.of("alice.1", "alice.2"), List.copyOf(server.streamTokens));
        assertEquals(2, ((VkvClientImpl) client).tokens().authentications());
        keepAlive.close();
      } finally {
        Await.result(client.close());
      }
    }
  }

  @Test
  void aWrongPasswordEndsTheKeepAliveWithTheServersError() {
    try (TokenCheckingServer server = new TokenCheckingServer("pw")) {
      VkvClient client = client(server, "wrong");
      try {
        KeepAliveRecorder r = KeepAliveRecorder.of(client.lease().keepAlive(7));
        Wait.until(Duration.ofSeconds(20), "no error", () -> r.error.get() != null);
        VkvException e = (VkvException) r.error.get();
        assertEquals(GrpcStatus.INVALID_ARGUMENT, e.status());
        assertEquals("etcdserver: authentication failed, invalid user ID or password", e.getMessage());
        assertEquals(1, server.authentications.get());
        assertTrue(server.streamTokens.isEmpty(), "no stream without a token");
        assertFalse(r.ended.get());
      } finally {
        Await.result(client.close());
      }
    }
  }
}
