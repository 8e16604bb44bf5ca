package io.vkv.client;

import static io.vkv.client.AuthFixture.authentications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vkv.api.authpb.Permission;
import io.vkv.node.testing.Wait;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token refresh against etcd with JWT tokens ({@code --auth-token jwt,...}), which carry the auth revision they were
 * issued at and expire at a fixed time: an auth change makes the next call fail with "revision of auth store is
 * old", an expired one with "invalid auth token", and the client re-authenticates once and sends the call again.
 * etcd-only: the token kind is an etcd flag.
 */
class AuthJwtTokenTest {
  private static final Pattern EXP = Pattern.compile("\"exp\":(\\d+)");
  @TempDir
  Path keys;
  private TestCluster cluster;
  private VkvClient anonymous;
  private VkvClient root;
  private VkvClient alice;

  @BeforeEach
  void start() throws IOException, NoSuchAlgorithmException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    Path priv = pem(keys.resolve("jwt.key"), "PRIVATE KEY", pair.getPrivate().getEncoded());
    Path pub = pem(keys.resolve("jwt.pub"), "PUBLIC KEY", pair.getPublic().getEncoded());
    cluster = new EtcdCluster(1, List.of("--auth-token",
        "jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=RS256,ttl=2s"));
    anonymous = AuthFixture.client(cluster, null, null);
    root = AuthFixture.enableAuth(cluster, anonymous);
    Await.result(root.auth().userAdd("alice", "alice-pw"));
    Await.result(root.auth().roleAdd("app"));
    Await.result(root.auth().roleGrantPermissionPrefix("app", Permission.Type.READWRITE, "a/"));
    Await.result(root.auth().userGrantRole("alice", "app"));
    alice = AuthFixture.client(cluster, "alice", "alice-pw");
  }

  @AfterEach
  void stop() {
    AuthFixture.close(alice, root, anonymous);
    if (cluster != null) cluster.close();
  }

  @Test
  void anAuthStoreChangeRefreshesTheToken() {
    Await.result(alice.kv().put("a/1", "one"));
    assertEquals(1, authentications(alice));
    Await.result(root.auth().roleGrantPermissionPrefix("app", Permission.Type.READWRITE, "b/"));
    Await.result(alice.kv().put("b/1", "granted now"));
    assertEquals(2, authentications(alice));
    Await.result(alice.kv().put("a/2", "two"));
    assertEquals(2, authentications(alice), "the new token is kept");
    assertEquals(2, Await.result(root.kv().get("a/", new GetOptions().prefix())).getCount());
  }

  @Test
  void anExpiredTokenIsReplaced() {
    Await.result(alice.kv().put("a/1", "one"));
    String first = ((VkvClientImpl) alice).tokens().cached();
    long expiresMillis = expiry(first) * 1000;
    // the server checks whole seconds: wait on the clock until the token is surely past its expiry
    Wait.until(Duration.ofSeconds(20), () -> "token expiry " + expiresMillis,
        () -> System.currentTimeMillis() > expiresMillis + 1000);
    assertEquals(1, Await.result(alice.kv().get("a/1")).getCount());
    assertEquals(2, authentications(alice));
    assertNotEquals(first, ((VkvClientImpl) alice).tokens().cached());
  }

  /** The {@code exp} claim, in seconds since the epoch, of a JWT. */
  private static long expiry(String jwt) {
    String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    Matcher m = EXP.matcher(payload);
    if (!m.find()) throw new AssertionError("no exp in " + payload);
    return Long.parseLong(m.group(1));
  }

  private static Path pem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    return file;
  }
}
