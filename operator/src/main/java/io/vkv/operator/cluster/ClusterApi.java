package io.vkv.operator.cluster;

import io.vkv.api.etcdserverpb.Member;
import io.vkv.api.etcdserverpb.StatusResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cluster's own API as the controller uses it: etcd v3 Cluster and Maintenance calls on one member's client URL.
 * {@link EtcdAdmin} is the real one; the interface lets a platform test play the cluster's side without members.
 */
public interface ClusterApi extends AutoCloseable {

  StatusResponse status(String clientUrl) throws IOException;

  List<Member> memberList(String clientUrl) throws IOException;

  Member addLearner(String clientUrl, String peerUrl) throws IOException;

  void promote(String clientUrl, long id) throws IOException;

  void remove(String clientUrl, long id) throws IOException;

  /** MoveLeader must be sent to the leader itself. */
  void moveLeader(String leaderClientUrl, long to) throws IOException;

  /**
   * Whether auth is enabled, asked as the operator's configured user (a wrong password is an error). Only clusters
   * whose spec has {@code auth} are asked; an API without auth support refuses.
   */
  default boolean authEnabled(String clientUrl) throws IOException {
    throw new UnsupportedOperationException("this cluster API does not do auth");
  }

  /** Adds the configured user as root (if absent) and enables auth; each step tolerates having been done before. */
  default void enableAuth(String clientUrl) throws IOException {
    throw new UnsupportedOperationException("this cluster API does not do auth");
  }

  /** Writes a snapshot in etcd's file layout (database, then SHA-256 trailer) to {@code target}. */
  void snapshot(String clientUrl, Path target) throws IOException;

  @Override
  void close();
}
