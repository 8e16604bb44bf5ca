package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vkv.node.auth.AuthSettings;
import io.vkv.node.auth.JwtSettings;
import io.vkv.node.auth.JwtTokens;
import io.vkv.node.testing.Commands;
import io.vkv.node.testing.TestPki;
import io.vkv.node.testing.Wait;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's JWT tokens (--auth-token jwt,...): etcd's claims, signed with the private key, verified by every member with
 * the public key; expired, foreign and out-of-date tokens are refused with etcd's errors.
 */
class JwtAuthTest {
  @TempDir
  Path dir;

  private JwtSettings keys(String name, String method, long ttlMs) {
    Path priv = dir.resolve(name + ".key");
    Path pub = dir.resolve(name + ".pub");
    if (method.startsWith("ES")) {
      TestPki.openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", priv.toString());
    } else {
      TestPki.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", priv.toString());
    }
    TestPki.openssl("pkey", "-in", priv.toString(), "-pubout", "-out", pub.toString());
    return new JwtSettings(pub, priv, method, ttlMs);
  }

  @Test
  void tokensCarryEtcdsClaimsAndExpire() {
    AtomicLong now = new AtomicLong(1_000_000_000_000L);
    for (String method : List.of("RS256", "ES256")) {
      JwtTokens jwt = new JwtTokens(keys("k-" + method, method, 300_000), now::get);
      String token = jwt.issue("alice", 7);
      String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
      assertTrue(payload.contains("\"username\":\"alice\""), payload);
      assertTrue(payload.contains("\"revision\":7"), payload);
      assertTrue(payload.contains("\"exp\":" + (now.get() + 300_000) / 1000), payload);
      assertEquals(new JwtTokens.Claims("alice", 7), jwt.verify(token));
      now.addAndGet(300_000);
      assertNull(jwt.verify(token), "expired");
      now.addAndGet(-300_000);
      JwtTokens other = new JwtTokens(keys("other-" + method, method, 300_000), now::get);
      assertNull(jwt.verify(other.issue("alice", 7)), "signed with another key");
      assertNull(jwt.verify(token.substring(0, token.length() - 4) + "AAAA"), "tampered");
    }
    JwtSettings rsa = keys("mixed-a", "RS256", 1000);
    JwtSettings other = keys("mixed-b", "RS256", 1000);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new JwtTokens(new JwtSettings(other.publicKey(), rsa.privateKey(), "RS256", 1000), now::get))
        .getMessage().contains("are not one key pair"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new JwtTokens(new JwtSettings(rsa.publicKey(), rsa.privateKey(), "HS256", 1000), now::get))
        .getMessage().contains("unsupported sign-method 'HS256'"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new JwtTokens(new JwtSettings(rsa.publicKey(), rsa.privateKey(), "ES256", 1000), now::get))
        .getMessage().contains("needs EC keys"));
    JwtSettings parsed = JwtSettings.parse("jwt,pub-key=/a.pub,priv-key=/a.key,sign-method=RS256,ttl=10m", v -> 600_000);
    assertEquals(new JwtSettings(Path.of("/a.pub"), Path.of("/a.key"), "RS256", 600_000), parsed);
  }

  @Test
  void aTokenFromOneMemberWorksOnEveryMemberUntilAuthChanges() throws Exception {
    JwtSettings jwt = keys("cluster", "RS256", 300_000);
    try (TestCluster c = TestCluster.startWithAuth(dir.resolve("cluster"), new AuthSettings(300, 4, jwt))) {
      c.awaitOneLeader(List.of(0, 1, 2), 10_000);
      Etcdctl etcdctl = new Etcdctl(c.member(0).endpoints());
      etcdctl.run("user", "add", "root:rootpw").assertOk();
      etcdctl.run("role", "add", "app").assertOk();
      etcdctl.run("user", "add", "alice:pw").assertOk();
      etcdctl.run("user", "grant-role", "alice", "app").assertOk();
      etcdctl.run("role", "grant-permission", "app", "readwrite", "--prefix", "app/").assertOk();
      etcdctl.run("auth", "enable").assertOk();
      // etcdctl authenticates and sends its JWT
      assertEquals("OK\n", new Etcdctl(c.member(1).endpoints()).run("--user=alice:pw", "put", "app/a", "1").assertOk().out());

      String token = authenticate(c.member(0), "alice", "pw");
      assertEquals(3, token.split("\\.").length, token);
      for (int i = 0; i < TestCluster.SIZE; i++) {
        int member = i;
        // a member may not have applied the auth changes yet; the token is verified with the public key alone
        Wait.until(Duration.ofSeconds(5), "m" + i + " to accept the token", () ->
            gateway(c.member(member), token, "/v3/kv/put", "{\"key\":\"YXBwL2I=\",\"value\":\"Mg==\"}").contains("\"header\""));
      }
      // a token signed with another key is refused everywhere
      String foreign = new JwtTokens(keys("foreign", "RS256", 300_000), System::currentTimeMillis).issue("root", 99);
      assertTrue(gateway(c.member(2), foreign, "/v3/kv/range", "{\"key\":\"YXBwL2I=\"}").contains("invalid auth token"));
      // a change of roles makes tokens issued before it out of date (etcd's JWT behaviour); a new one works
      etcdctl.run("--user=root:rootpw", "role", "add", "other").assertOk();
      Wait.until(Duration.ofSeconds(5), "the old token to be out of date on m2",
          () -> gateway(c.member(2), token, "/v3/kv/put", "{\"key\":\"YXBwL2I=\",\"value\":\"Mw==\"}")
              .contains("revision of auth store is old"));
      String fresh = authenticate(c.member(2), "alice", "pw");
      assertTrue(gateway(c.member(0), fresh, "/v3/kv/put", "{\"key\":\"YXBwL2I=\",\"value\":\"NA==\"}").contains("\"header\""));
    }
  }

  private static String authenticate(VkvNode node, String user, String password) {
    Commands.Result r = Commands.run(List.of("curl", "-sS", "--max-time", "10", "-X", "POST", "-d",
        "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}", node.clientUrls().get(0) + "/v3/auth/authenticate"));
    Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.out());
    assertTrue(m.find(), r.all());
    return m.group(1);
  }

  private static String gateway(VkvNode node, String token, String path, String body) {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-X", "POST", "-H", "Authorization: " + token,
        "-d", body, node.clientUrls().get(0) + path));
    String out = Commands.run(cmd).out();
    assertNotNull(out);
    return out;
  }
}
