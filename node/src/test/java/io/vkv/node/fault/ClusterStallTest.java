package io.vkv.node.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.StatusRequest;
import io.vkv.node.testing.Wait;
import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stall of the whole cluster at once (every member SIGSTOPped, as a shared disk that stops answering or a host
 * that is starved does to all of them) is not a leader failure: when the members go on, the leader keeps its term.
 * Regression test: the Raft loop's ticks came from a periodic timer, which ran every tick missed during the stall
 * back to back, so every member counted an election timeout at once and the leader lost its quorum check.
 */
@Timeout(180)
class ClusterStallTest {
  @TempDir Path dir;

  @Test
  void aStallOfEveryMemberIsNoElection() throws Exception {
    try (FaultCluster cluster = new FaultCluster(dir)) {
      cluster.start();
      FaultCluster.Slot leader = cluster.awaitHealthy();
      long term = raftTerm(cluster, leader);
      for (int stall = 0; stall < 3; stall++) {
        for (FaultCluster.Slot s : cluster.slots) cluster.pause(s);
        // the fault itself: stopped for four election timeouts, not a wait for a condition
        Thread.sleep(4 * FaultCluster.ELECTION_MS);
        for (FaultCluster.Slot s : cluster.slots) cluster.resume(s);
        Wait.throughout(Duration.ofMillis(6 * FaultCluster.ELECTION_MS), Duration.ofMillis(100),
            "the leader and its term after the stall", () -> {
              for (FaultCluster.Slot s : cluster.slots) {
                assertEquals(List.of(leader.id, term), leaderAndTerm(cluster, s), "member " + s + " after the stall");
              }
            });
      }
      FaultCluster.await(cluster.kv(leader).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
          .setValue(ByteString.copyFromUtf8("v")).build()));
    }
  }

  private static long raftTerm(FaultCluster cluster, FaultCluster.Slot s) throws Exception {
    return FaultCluster.await(cluster.maintenance(s).status(StatusRequest.getDefaultInstance())).getRaftTerm();
  }

  private static List<Long> leaderAndTerm(FaultCluster cluster, FaultCluster.Slot s) throws Exception {
    var st = FaultCluster.await(cluster.maintenance(s).status(StatusRequest.getDefaultInstance()));
    return List.of(st.getLeader(), st.getRaftTerm());
  }
}
