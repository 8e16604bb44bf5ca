package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clean stop and a start on the same data dir keep every key and revision. */
class RestartTest {
  @TempDir Path dir;

  @Test
  void restartKeepsKeysAndRevisions() {
    VkvNode node = TestNodes.startSingle(dir);
    String before;
    long revision;
    try {
      Etcdctl etcdctl = new Etcdctl(node.endpoints());
      for (int i = 0; i < 20; i++) etcdctl.run("put", "k" + i, "v" + i).assertOk();
      etcdctl.run("del", "k3").assertOk();
      before = etcdctl.run("get", "k", "--prefix", "-w", "json").assertOk().out();
      revision = new JsonObject(before).getJsonObject("header").getLong("revision");
      assertEquals(22, revision); // 1 initial + 20 puts + 1 delete
    } finally {
      TestNodes.stop(node);
    }
    node = TestNodes.startSingle(dir);
    try {
      Etcdctl etcdctl = new Etcdctl(node.endpoints());
      JsonObject after = new JsonObject(etcdctl.run("get", "k", "--prefix", "-w", "json").assertOk().out());
      assertEquals(new JsonObject(before).getJsonArray("kvs"), after.getJsonArray("kvs"));
      assertEquals(revision, after.getJsonObject("header").getLong("revision"));
      JsonObject put = new JsonObject(etcdctl.run("put", "k3", "back", "-w", "json").assertOk().out());
      assertEquals(revision + 1, put.getJsonObject("header").getLong("revision"));
    } finally {
      TestNodes.stop(node);
    }
  }
}
