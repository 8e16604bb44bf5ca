package io.vkv.store.etcdformat;

/** The names of etcd 3.4's backend buckets and of the keys in its {@code meta}, {@code auth} and {@code cluster}. */
public final class EtcdBuckets {
  public static final String ALARM = "alarm";
  public static final String AUTH = "auth";
  public static final String AUTH_ROLES = "authRoles";
  public static final String AUTH_USERS = "authUsers";
  public static final String CLUSTER = "cluster";
  public static final String KEY = "key";
  public static final String LEASE = "lease";
  public static final String MEMBERS = "members";
  public static final String MEMBERS_REMOVED = "members_removed";
  public static final String META = "meta";

  public static final String CONSISTENT_INDEX = "consistent_index";
  public static final String SCHEDULED_COMPACT = "scheduledCompactRev";
  public static final String FINISHED_COMPACT = "finishedCompactRev";
  public static final String AUTH_ENABLED = "authEnabled";
  public static final String AUTH_REVISION = "authRevision";
  public static final String CLUSTER_VERSION = "clusterVersion";

  private EtcdBuckets() {}
}
