package io.vkv.operator.backend;

import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;

/** A platform with its backup destination, built from the spec on each pass (the spec may change between passes). */
public interface Backend {

  MemberPlatform platform(VkvCluster cluster);

  /** Where backups go and restores come from; null when the spec has no backup section. */
  BackupStore backups(VkvCluster cluster);

  /** How the operator dials the cluster's members (TLS, credentials); plain text without auth unless overridden. */
  default ClusterAccess access(VkvCluster cluster) throws IOException {
    return ClusterAccess.plainText();
  }
}
