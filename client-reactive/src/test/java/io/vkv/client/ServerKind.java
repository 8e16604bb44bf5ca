package io.vkv.client;

import java.util.stream.Stream;

/**
 * The servers the lease, lock and election tests run against: the same assertions for real etcd 3.4 and for vkv.
 * A kind is listed for a service only once that server implements it (see the README's "Not done yet").
 */
enum ServerKind {
  ETCD {
    @Override
    TestCluster start(int members) {
      return new EtcdCluster(members);
    }
  },
  VKV {
    @Override
    TestCluster start(int members) {
      return new VkvCluster(members);
    }
  };

  abstract TestCluster start(int members);

  /** Servers with the Lease service. */
  static Stream<ServerKind> lease() {
    return Stream.of(ETCD, VKV);
  }

  /** Servers with the Lock and Election services. */
  static Stream<ServerKind> lockAndElection() {
    return Stream.of(ETCD, VKV);
  }

  /** Servers with the Auth service and token checks. */
  static Stream<ServerKind> auth() {
    return Stream.of(ETCD, VKV);
  }
}
