package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.node.testing.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcdctl's {@code endpoint status --cluster} and {@code endpoint health --cluster}, given one member only: etcdctl
 * reads every member's client URLs from MemberList and dials each URL as written, so grpc-go sends
 * {@code http://127.0.0.1:P} as the HTTP/2 :authority. Every member must answer (Vert.x used to reset those streams
 * with PROTOCOL_ERROR, and etcdctl printed an empty table).
 */
class EndpointClusterEtcdctlTest {
  private static final Pattern HEALTHY =
      Pattern.compile("^(http://127\\.0\\.0\\.1:\\d+) is healthy: successfully committed proposal: took = \\S+$");

  @TempDir Path dir;

  @Test
  void statusAndHealthReachEveryMemberFromMemberListUrls() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir)) {
      cluster.awaitOneLeader(cluster.running(), 20_000);
      // member id -> the client URL it really listens on
      Map<Long, String> urls = new HashMap<>();
      for (int i : cluster.running()) urls.put(cluster.id(i), cluster.member(i).clientUrls().get(0).toString());
      // members listen on port 0 and publish their bound ports through Raft: wait until MemberList shows them
      Wait.until(Duration.ofSeconds(20), "MemberList to advertise the bound client URLs " + urls,
          () -> advertised(cluster).equals(urls));

      Etcdctl ctl = new Etcdctl(cluster.member(0).endpoints());

      String json = ctl.run("endpoint", "status", "--cluster", "-w", "json").assertOk().out();
      JsonArray rows = new JsonArray(json);
      assertEquals(TestCluster.SIZE, rows.size(), json);
      Map<Long, String> reported = new HashMap<>();
      Set<Long> leaders = new HashSet<>();
      int leaderRows = 0;
      for (Object o : rows) {
        JsonObject row = (JsonObject) o;
        JsonObject status = row.getJsonObject("Status");
        long id = status.getJsonObject("header").getLong("member_id");
        reported.put(id, row.getString("Endpoint"));
        leaders.add(status.getLong("leader"));
        if (status.getLong("leader") == id) leaderRows++;
      }
      assertEquals(urls, reported, json);
      assertEquals(1, leaders.size(), "every member names the same leader: " + json);
      assertEquals(1, leaderRows, "is-leader exactly once: " + json);

      // the table: one row per member with its endpoint and hex id, "true" in IS LEADER once
      String table = ctl.run("endpoint", "status", "--cluster", "-w", "table").assertOk().out();
      List<String[]> cells = new ArrayList<>();
      for (String line : table.split("\n")) {
        if (line.startsWith("| http://")) cells.add(line.substring(1).split("\\|"));
      }
      assertEquals(TestCluster.SIZE, cells.size(), table);
      Map<Long, String> tabled = new HashMap<>();
      int leaderCells = 0;
      for (String[] c : cells) {
        tabled.put(Long.parseUnsignedLong(c[1].trim(), 16), c[0].trim());
        if (c[4].trim().equals("true")) leaderCells++;
      }
      assertEquals(urls, tabled, table);
      assertEquals(1, leaderCells, table);

      // etcdctl 3.4 prints the health lines on stderr
      Etcdctl.Result health = ctl.run("endpoint", "health", "--cluster").assertOk();
      Set<String> healthy = new HashSet<>();
      for (String line : health.err().split("\n")) {
        if (line.isBlank()) continue;
        Matcher m = HEALTHY.matcher(line);
        assertTrue(m.matches(), "unexpected health line: " + line + "\n" + health.out());
        healthy.add(m.group(1));
      }
      assertEquals(new HashSet<>(urls.values()), healthy, health.out() + health.err());
    }
  }

  /** Member id -> its single advertised client URL, as member 0 lists them (a member without URLs maps to ""). */
  private static Map<Long, String> advertised(TestCluster cluster) throws Exception {
    Map<Long, String> listed = new HashMap<>();
    for (Member m : TestCluster.await(cluster.cluster(0).memberList(MemberListRequest.getDefaultInstance()))
        .getMembersList()) {
      listed.put(m.getID(), m.getClientURLsCount() == 1 ? m.getClientURLs(0) : String.join(",", m.getClientURLsList()));
    }
    return listed;
  }
}
