package io.vkv.node;

/** Versions this build reports to clients. */
public final class VkvVersion {
  public static final String VKV = "0.1.0";
  /** The etcd server version whose API this build implements; reported in Maintenance.Status. */
  public static final String ETCD_COMPAT = "3.4.0";
  public static final String ETCD_API = "3.4";
  /** The cluster version /version reports: what every member supports, major.minor.0 as etcd computes it. */
  public static final String ETCD_CLUSTER = "3.4.0";

  private VkvVersion() {}
}
