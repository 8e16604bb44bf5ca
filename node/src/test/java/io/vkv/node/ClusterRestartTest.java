package io.vkv.node;

import static io.vkv.node.TestCluster.ELECTION_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.vkv.api.etcdserverpb.MemberListRequest;
import io.vkv.api.etcdserverpb.PutRequest;
import io.vkv.api.etcdserverpb.RangeRequest;
import io.vkv.api.mvccpb.KeyValue;
import io.vkv.node.testing.Wait;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping every member of a 3-member cluster and starting them again on their data dirs loses nothing. */
class ClusterRestartTest {
  static final List<Integer> ALL = List.of(0, 1, 2);

  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  @Test
  void allMembersRestartWithTheSameKeysAndRevisionsAndKeepWriting() throws Exception {
    cluster = TestCluster.start(dir);
    cluster.awaitOneLeader(ALL, 10 * ELECTION_MS);
    for (int k = 0; k < 30; k++) cluster.put(k % 3, "r/" + k, "v" + k);
    cluster.put(0, "r/0", "overwritten"); // a key with two versions
    List<KeyValue> before = keys(0, false);
    long revision = cluster.status(0).getHeader().getRevision();
    assertEquals(32, revision, "31 puts on an empty store");

    // all three stopped and started at once
    cluster.stopAll();
    cluster.startAll();
    cluster.awaitOneLeader(ALL, 10 * ELECTION_MS);
    for (int i : ALL) assertRecovered(i, before, revision);

    // all three stopped, two started: the third one's client URLs are still listed as it last published them
    URI lastPublished = cluster.member(2).clientUrls().get(0);
    awaitListed(0, 2, lastPublished.toString());
    cluster.stopAll();
    cluster.start(List.of(0, 1));
    cluster.awaitOneLeader(List.of(0, 1), 10 * ELECTION_MS);
    for (int i : List.of(0, 1)) assertRecovered(i, before, revision);
    assertEquals(List.of(lastPublished.toString()), clientUrlsListedBy(0, 2), "m2's last published client URLs");
    cluster.put(1, "r/while-m2-is-down", "x");

    // the third one catches up with what it missed, and writes continue on every member
    cluster.start(List.of(2));
    cluster.awaitOneLeader(ALL, 10 * ELECTION_MS);
    assertEquals("x", cluster.get(2, "r/while-m2-is-down"));
    var put = TestCluster.await(cluster.kv(2).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("r/after"))
        .setValue(ByteString.copyFromUtf8("y")).build()));
    assertEquals(revision + 2, put.getHeader().getRevision());
    for (int i : ALL) assertEquals("y", cluster.get(i, "r/after"));
    awaitListed(1, 2, cluster.member(2).clientUrls().get(0).toString()); // republished after its restart
  }

  private void assertRecovered(int i, List<KeyValue> before, long revision) throws Exception {
    assertEquals(before, keys(i, false), "keys with their revisions on m" + i);
    assertEquals(revision, cluster.status(i).getHeader().getRevision(), "revision on m" + i);
  }

  private List<KeyValue> keys(int i, boolean serializable) throws Exception {
    return TestCluster.await(cluster.kv(i).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("r/"))
        .setRangeEnd(ByteString.copyFromUtf8("r0")).setSerializable(serializable).build())).getKvsList();
  }

  private List<String> clientUrlsListedBy(int asked, int member) throws Exception {
    return TestCluster.await(cluster.cluster(asked).memberList(MemberListRequest.getDefaultInstance()))
        .getMembersList().stream().filter(m -> m.getID() == cluster.id(member)).findFirst().orElseThrow()
        .getClientURLsList();
  }

  private void awaitListed(int asked, int member, String url) {
    Wait.until(Duration.ofSeconds(15), "m" + asked + " to list m" + member + " at " + url,
        () -> clientUrlsListedBy(asked, member).equals(List.of(url)));
  }
}
