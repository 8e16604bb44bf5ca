package io.vkv.client;

import java.util.List;

/** A running etcd-compatible cluster for the client's tests: real etcd processes or in-process vkv members. */
interface TestCluster extends AutoCloseable {
  /** Each member's client endpoint, {@code 127.0.0.1:port}, in member order. */
  List<String> endpoints();

  /** Kills member {@code i} (its ports and data stay reserved for {@link #start(int)}). */
  void kill(int i);

  /** Starts member {@code i} again on the same ports and data directory. */
  void start(int i);

  /** Stops every member and deletes the data. */
  @Override
  void close();

  /** A client on every member's endpoint, with short backoffs. */
  default VkvClient client() {
    return VkvClient.create(new VkvClientOptions().setEndpoints(endpoints())
        .setRetryBackoff(java.time.Duration.ofMillis(20)).setMaxRetryBackoff(java.time.Duration.ofMillis(300)));
  }
}
