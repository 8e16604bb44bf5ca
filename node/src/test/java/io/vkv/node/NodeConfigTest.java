package io.vkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vkv.node.auth.AuthSettings;
import io.vkv.node.lease.LeaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  @Test
  void toBuilderKeepsEveryField() {
    NodeConfig c = NodeCommandTest.parse("--name=a", "--max-txn-ops=7", "--auth-token-ttl=9",
        "--experimental-lease-revoke-rate=3", "--experimental-watch-progress-notify-interval=2s");
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void builderStartsAtTheDefaults() {
    NodeConfig c = NodeConfig.singleMember(Path.of("d"), 0, 0);
    assertEquals(NodeConfig.DEFAULT_MAX_REQUEST_BYTES, c.maxRequestBytes());
    assertEquals(NodeConfig.DEFAULT_MAX_TXN_OPS, c.maxTxnOps());
    assertEquals(NodeConfig.DEFAULT_QUOTA_BACKEND_BYTES, c.quotaBackendBytes());
    assertEquals(NodeConfig.DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL_MS, c.watchProgressNotifyIntervalMs());
    assertEquals(LeaseSettings.DEFAULT, c.lease());
    assertEquals(AuthSettings.DEFAULT, c.auth());
  }

  @Test
  void toBuilderChangesOnlyWhatIsSet() {
    NodeConfig c = NodeConfig.singleMember(Path.of("d"), 0, 0);
    NodeConfig d = c.toBuilder().maxTxnOps(2).build();
    assertEquals(2, d.maxTxnOps());
    assertEquals(c, d.toBuilder().maxTxnOps(c.maxTxnOps()).build());
  }

  @Test
  void buildChecksAsTheConstructorDoes() {
    assertThrows(IllegalArgumentException.class,
        () -> NodeConfig.singleMember(Path.of("d"), 0, 0).toBuilder().electionTimeoutMs(400).build());
  }
}
