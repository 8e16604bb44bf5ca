package io.vkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.time.Duration;

/** Auth set-up shared by the auth tests: a root user that can enable auth, clients with and without credentials. */
final class AuthFixture {
  static final String ROOT_PASSWORD = "root-pw";

  private AuthFixture() {
  }

  /** A client on every member, as {@code user} (null: no credentials). */
  static VkvClient client(TestCluster cluster, String user, String password) {
    return VkvClient.create(new VkvClientOptions().setEndpoints(cluster.endpoints()).setUser(user).setPassword(password)
        .setRetryBackoff(Duration.ofMillis(20)).setMaxRetryBackoff(Duration.ofMillis(300)));
  }

  /** Creates root with the root role and enables auth, as etcd requires; returns a client logged in as root. */
  static VkvClient enableAuth(TestCluster cluster, VkvClient anonymous) {
    Await.result(anonymous.auth().userAdd("root", ROOT_PASSWORD));
    Await.result(anonymous.auth().roleAdd("root"));
    Await.result(anonymous.auth().userGrantRole("root", "root"));
    Await.result(anonymous.auth().authEnable());
    return client(cluster, "root", ROOT_PASSWORD);
  }

  /** Asserts that {@code f} fails with etcd's status and message. */
  static VkvException assertFails(Future<?> f, GrpcStatus status, String message) {
    VkvException e = Await.failure(f);
    assertEquals(message, e.getMessage());
    assertEquals(status, e.status(), e.getMessage());
    return e;
  }

  static int authentications(VkvClient client) {
    return ((VkvClientImpl) client).tokens().authentications();
  }

  static void close(VkvClient... clients) {
    for (VkvClient c : clients) if (c != null) Await.result(c.close());
  }
}
