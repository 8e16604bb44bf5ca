package io.vkv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vkv.api.authpb.Permission;
import io.vkv.client.VkvClient;
import io.vkv.client.VkvClientOptions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** vkv-bench --user against a member with auth on: the token goes with every request, and refusals are counted. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchWithAuthTest {
  private static InProcessNode node;

  @BeforeAll
  static void start() throws Exception {
    node = InProcessNode.start("vkv-bench-auth");
    VkvClient admin = VkvClient.create(new VkvClientOptions().addEndpoint(node.endpoints()));
    try {
      var auth = admin.auth();
      await(auth.userAdd("root", "rootpw").compose(r -> auth.userGrantRole("root", "root"))
          .compose(r -> auth.roleAdd("rw"))
          // every key the workloads make (zero-padded numbers) and more: from "0" on
          .compose(r -> auth.roleGrantPermission("rw", Permission.Type.READWRITE, "0", "\0"))
          .compose(r -> auth.userAdd("bench", "pw")).compose(r -> auth.userGrantRole("bench", "rw"))
          .compose(r -> auth.roleAdd("ro"))
          .compose(r -> auth.roleGrantPermission("ro", Permission.Type.READ, "0", "\0"))
          .compose(r -> auth.userAdd("reader", "pw")).compose(r -> auth.userGrantRole("reader", "ro"))
          .compose(r -> auth.authEnable()));
    } finally {
      await(admin.close());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) node.close();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static BenchOutput.Outcome run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "--endpoints";
    full[1] = node.endpoints();
    System.arraycopy(args, 0, full, 2, args.length);
    return BenchOutput.run(full);
  }

  @Test
  void aPermittedUserRunsEveryRequest() {
    Matcher put = BenchOutput.json(run("put", "--user", "bench:pw", "--total", "200", "--clients", "8"));
    assertEquals("200", put.group(2));
    assertEquals("0", put.group(3));
    Matcher range = BenchOutput.json(run("range", "--user", "reader:pw", "--total", "100", "--clients", "4"));
    assertEquals("100", range.group(2));
    assertEquals("0", range.group(3));
  }

  @Test
  void refusedRequestsAreCountedAsErrorsWithTheServersMessage() {
    BenchOutput.Outcome reader = run("put", "--user", "reader:pw", "--total", "20", "--clients", "2");
    assertEquals(1, reader.code(), reader.err()); // nothing succeeded
    assertEquals("20", BenchOutput.json(reader).group(3));
    assertTrue(reader.err().contains("etcdserver: permission denied"), reader.err());
    BenchOutput.Outcome anonymous = run("put", "--total", "10", "--clients", "1");
    assertEquals(1, anonymous.code(), anonymous.err());
    assertTrue(anonymous.err().contains("etcdserver: user name is empty"), anonymous.err());
  }

  @Test
  void userNeedsNameAndPasswordAndOnlyTheKvWorkloadsTakeIt() {
    BenchOutput.assertUsageError("--user must be NAME:PASSWORD", "--endpoints", node.endpoints(), "put", "--user", "bench");
    BenchOutput.assertUsageError("does not take --user", "--endpoints", node.endpoints(), "watch-latency", "--user", "bench:pw");
    BenchOutput.assertUsageError("does not take --user", "--endpoints", node.endpoints(), "lease-keepalive", "--user", "bench:pw");
  }
}
