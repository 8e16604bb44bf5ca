package io.vkv.operator.backend.kubernetes;

import java.util.Map;

/** The labels and annotations the operator puts on what it creates; the cluster label is how it finds them again. */
final class Labels {
  static final String CLUSTER = "vkv.io/cluster";
  static final String MEMBER = "vkv.io/member";
  /** On a member's claim: it was started at least once, so an empty claim means lost data. */
  static final String STARTED_ONCE = "vkv.io/started-once";
  /** On a member's Pod and claim: the {@code spec.version} it was last started with. */
  static final String VERSION = "vkv.io/version";
  /**
   * On the first member's claim of a restored cluster: the backup claim and the file's path inside it. While they are
   * there its Pod restores the backup before vkv starts (only into an empty data directory); an upgrade drops them.
   */
  static final String RESTORE_CLAIM = "vkv.io/restore-claim";
  static final String RESTORE_FROM = "vkv.io/restore-from";

  private Labels() {}

  static Map<String, String> cluster(String cluster) {
    return Map.of("app.kubernetes.io/name", "vkv", "app.kubernetes.io/instance", cluster,
        "app.kubernetes.io/managed-by", "vkv-operator", CLUSTER, cluster);
  }

  static Map<String, String> member(String cluster, String member) {
    return Map.of("app.kubernetes.io/name", "vkv", "app.kubernetes.io/instance", cluster,
        "app.kubernetes.io/managed-by", "vkv-operator", CLUSTER, cluster, MEMBER, member);
  }
}
