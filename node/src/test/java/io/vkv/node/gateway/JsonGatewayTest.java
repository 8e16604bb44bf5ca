package io.vkv.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON gateway route by route, each answer compared with etcd 3.4's to the same request (bodies as etcd prints
 * them: base64 bytes, 64-bit integers as strings, defaults left out; errors with etcd's HTTP status and JSON). Only
 * values that differ between two servers by nature are masked (ids, term, sizes, tokens, versions).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsonGatewayTest {
  @TempDir static Path dir;
  static GatewayPair both;

  @BeforeAll
  static void start() throws Exception {
    both = new GatewayPair(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    both.close();
  }

  @Test
  @Order(1)
  void kv() throws Exception {
    both.same("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}");
    both.same("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"YmF6\",\"prev_kv\":true}");
    GatewayClient.Answer r = both.same("/v3/kv/range", "{\"key\":\"Zm9v\"}");
    assertTrue(r.body().contains("\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":\"2\",\"mod_revision\":\"3\",\"version\":\"2\",\"value\":\"YmF6\"}]"),
        r.body());
    both.same("/v3/kv/range", "{\"key\":\"bm9wZQ==\"}");
    both.same("/v3/kv/range", "{\"key\":\"Zm9v\",\"count_only\":true}");
    both.same("/v3/kv/range", "{\"key\":\"Zm9v\",\"keys_only\":true,\"unknown_field\":1}");
    both.same("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"100000\"}");
    both.same("/v3/kv/range", "");
    both.same("/v3/kv/txn", "{\"compare\":[{\"key\":\"Zm9v\",\"result\":\"EQUAL\",\"target\":\"VALUE\",\"value\":\"YmF6\"}],"
        + "\"success\":[{\"request_put\":{\"key\":\"Yg==\",\"value\":\"Mg==\"}},{\"request_range\":{\"key\":\"Zm9v\"}}],"
        + "\"failure\":[{\"request_delete_range\":{\"key\":\"Zm9v\"}}]}");
    both.same("/v3/kv/txn", "{\"compare\":[{\"key\":\"Zm9v\",\"target\":\"VERSION\",\"version\":\"5\"}],"
        + "\"failure\":[{\"request_delete_range\":{\"key\":\"Yg==\",\"prev_kv\":true}}]}");
    both.same("/v3/kv/deleterange", "{\"key\":\"Zm9v\",\"prev_kv\":true}");
    both.same("/v3/kv/compaction", "{\"revision\":\"4\"}");
    both.same("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"3\"}");
    both.same("/v3/kv/compaction", "{\"revision\":\"3\"}");
    both.same("/v3beta/kv/range", "{\"key\":\"Zm9v\"}");
  }

  /** Malformed JSON: the same status and code; the parser's words differ (Go's encoding/json versus Gson). */
  @Test
  @Order(2)
  void badJson() throws Exception {
    GatewayClient.Answer etcd = both.ref.post("/v3/kv/range", "garbage{", null);
    GatewayClient.Answer vkv = both.vkv.post("/v3/kv/range", "garbage{", null);
    assertEquals(etcd.status(), vkv.status());
    assertEquals(etcd.json().get("code"), vkv.json().get("code"));
    both.same("/v3/kv/txn", "{\"compare\":[{\"key\":\"YQ==\",\"result\":\"BOGUS\"}]}", "error", "message");
  }

  @Test
  @Order(3)
  void unknownPathsAndMethods() throws Exception {
    GatewayClient.Answer etcd = both.ref.post("/v3/kv/nope", "{}", null);
    GatewayClient.Answer vkv = both.vkv.post("/v3/kv/nope", "{}", null);
    assertEquals(etcd, vkv);
    assertEquals(both.ref.get("/v3/kv/range"), both.vkv.get("/v3/kv/range"));
    assertEquals(404, both.vkv.post("/v3/maintenance/hashkv", "{}", null).status()); // etcd maps no HTTP route to it
  }

  @Test
  @Order(4)
  void lease() throws Exception {
    both.same("/v3/lease/grant", "{\"TTL\":60,\"ID\":1234}");
    both.same("/v3/lease/grant", "{\"TTL\":60,\"ID\":1234}");
    both.same("/v3/lease/timetolive", "{\"ID\":1234,\"keys\":true}", "TTL");
    both.same("/v3/kv/lease/timetolive", "{\"ID\":1234}", "TTL");
    both.same("/v3/lease/leases", "{}");
    both.same("/v3/kv/lease/leases", "{}");
    both.same("/v3/lease/keepalive", "{\"ID\":1234}");
    both.same("/v3/lease/keepalive", "{\"ID\":1234}{\"ID\":1234}");
    both.same("/v3/lease/revoke", "{\"ID\":1234}");
    both.same("/v3/kv/lease/revoke", "{\"ID\":1234}");
    both.same("/v3/lease/timetolive", "{\"ID\":1234}");
  }

  @Test
  @Order(5)
  void clusterAndMaintenance() throws Exception {
    both.same("/v3/cluster/member/list", "{}", "ID");
    both.same("/v3/maintenance/status", "{}");
    both.same("/v3/maintenance/hash", "{}");
    both.same("/v3/maintenance/transfer-leadership", "{\"targetID\":\"1\"}");
  }

  /**
   * Alarms and defragment through the gateway, as etcd 3.4.23 answers them: no header, a CORRUPT alarm (any member
   * id is accepted) refuses a put with "corrupt cluster" (code 15) until it is deactivated.
   */
  @Test
  @Order(6)
  void alarmsAndDefragmentAsEtcd() throws Exception {
    both.same("/v3/maintenance/alarm", "{}");
    both.same("/v3/maintenance/alarm", "{\"action\":\"ACTIVATE\",\"memberID\":\"12345\",\"alarm\":\"CORRUPT\"}");
    both.same("/v3/maintenance/alarm", "{\"action\":\"GET\"}");
    GatewayClient.Answer refused = both.same("/v3/kv/put", "{\"key\":\"YQ==\",\"value\":\"Yg==\"}");
    assertEquals(15, refused.json().get("code").getAsInt(), refused.body());
    both.same("/v3/maintenance/alarm", "{\"action\":\"DEACTIVATE\",\"memberID\":\"12345\",\"alarm\":\"CORRUPT\"}");
    both.same("/v3/maintenance/alarm", "{\"action\":\"DEACTIVATE\",\"memberID\":\"12345\",\"alarm\":\"CORRUPT\"}");
    both.same("/v3/kv/deleterange", "{\"key\":\"YQ==\"}");
    both.same("/v3/maintenance/defragment", "{}");
  }

  @Test
  @Order(6)
  void membershipErrorsAsEtcd() throws Exception {
    // the membership calls go through the same handlers as gRPC; refusals read as etcd's gateway writes them
    both.same("/v3/cluster/member/remove", "{\"ID\":\"4660\"}");
    both.same("/v3/cluster/member/promote", "{\"ID\":\"4660\"}");
    both.same("/v3/cluster/member/add", "{\"peerURLs\":[\"not a url\"]}");
    both.same("/v3/cluster/member/update", "{\"ID\":\"4660\",\"peerURLs\":[\"http://127.0.0.1:1\"]}");
  }

  @Test
  @Order(6)
  void snapshotStreamsTheFileAndItsChecksumAsEtcdDoes() throws Exception {
    java.util.Map<String, java.util.Set<String>> fields = new java.util.TreeMap<>();
    for (GatewayClient server : new GatewayClient[] {both.ref, both.vkv}) {
      java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
      java.util.Set<String> keys = new java.util.TreeSet<>();
      String last = null;
      try (GatewayClient.Lines lines = server.new Lines("/v3/maintenance/snapshot", "{}")) {
        assertEquals(200, lines.status());
        for (String line; (line = lines.next()) != null; last = line) {
          com.google.gson.JsonObject result = com.google.gson.JsonParser.parseString(line).getAsJsonObject()
              .getAsJsonObject("result");
          keys.addAll(result.keySet());
          if (result.has("blob")) file.write(java.util.Base64.getDecoder().decode(result.get("blob").getAsString()));
        }
      }
      byte[] bytes = file.toByteArray();
      assertTrue(bytes.length > 32 && last != null, "a snapshot of " + bytes.length + " bytes");
      // etcd's integrity trailer: the SHA-256 of everything before it
      byte[] body = java.util.Arrays.copyOf(bytes, bytes.length - 32);
      byte[] trailer = java.util.Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
      assertTrue(java.util.Arrays.equals(java.security.MessageDigest.getInstance("SHA-256").digest(body), trailer),
          "the stream ends with the SHA-256 of the file");
      fields.put(server == both.ref ? "etcd" : "vkv", keys);
    }
    assertEquals(fields.get("etcd"), fields.get("vkv"), "the same JSON fields in the stream's results");
  }

  @Test
  @Order(7)
  void lockAndElection() throws Exception {
    both.same("/v3/lease/grant", "{\"TTL\":60,\"ID\":5678}");
    GatewayClient.Answer lock = both.same("/v3/lock/lock", "{\"name\":\"bXk=\",\"lease\":\"5678\"}");
    both.same("/v3/lock/lock", "{\"name\":\"bXk=\",\"lease\":\"99\"}");
    both.same("/v3/lock/unlock", "{\"key\":\"" + lock.json().get("key").getAsString() + "\"}");
    GatewayClient.Answer campaign = both.same("/v3/election/campaign", "{\"name\":\"ZWw=\",\"lease\":\"5678\",\"value\":\"djE=\"}");
    both.same("/v3/election/leader", "{\"name\":\"ZWw=\"}");
    both.same("/v3/election/leader", "{\"name\":\"bm9uZQ==\"}");
    String leader = campaign.json().get("leader").toString();
    both.same("/v3/election/proclaim", "{\"leader\":" + leader + ",\"value\":\"djI=\"}");
    try (GatewayClient.Lines etcd = both.ref.new Lines("/v3/election/observe", "{\"name\":\"ZWw=\"}");
         GatewayClient.Lines vkv = both.vkv.new Lines("/v3/election/observe", "{\"name\":\"ZWw=\"}")) {
      assertEquals(normalized(etcd.next()), normalized(vkv.next()));
    }
    both.same("/v3/election/resign", "{\"leader\":" + leader + "}");
    both.same("/v3/election/resign", "{\"leader\":{\"name\":\"ZWw=\"}}");
  }

  @Test
  @Order(8)
  void watchStreamsEventBatches() throws Exception {
    String create = "{\"create_request\":{\"key\":\"dw==\",\"prev_kv\":true}}";
    try (GatewayClient.Lines etcd = both.ref.new Lines("/v3/watch", create);
         GatewayClient.Lines vkv = both.vkv.new Lines("/v3/watch", create)) {
      assertEquals(normalized(etcd.next()), normalized(vkv.next()), "created");
      assertEquals(etcd.status(), vkv.status());
      both.same("/v3/kv/put", "{\"key\":\"dw==\",\"value\":\"MQ==\"}");
      both.same("/v3/kv/put", "{\"key\":\"dw==\",\"value\":\"Mg==\"}");
      both.same("/v3/kv/deleterange", "{\"key\":\"dw==\"}");
      for (int i = 0; i < 3; i++) assertEquals(normalized(etcd.next()), normalized(vkv.next()), "event " + i);
    }
    // from the past: one batch with the history
    String history = "{\"create_request\":{\"key\":\"dw==\",\"start_revision\":\"1\"}}";
    try (GatewayClient.Lines etcd = both.ref.new Lines("/v3/watch", history);
         GatewayClient.Lines vkv = both.vkv.new Lines("/v3/watch", history)) {
      assertEquals(normalized(etcd.next()), normalized(vkv.next()), "created");
      assertEquals(normalized(etcd.next()), normalized(vkv.next()), "compacted or history");
    }
  }

  private static String normalized(String line) {
    return line == null ? null : GatewayClient.normalize(com.google.gson.JsonParser.parseString(line), java.util.Set.of());
  }
}
