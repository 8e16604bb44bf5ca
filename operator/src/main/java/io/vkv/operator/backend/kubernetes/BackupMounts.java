package io.vkv.operator.backend.kubernetes;

import java.nio.file.Path;

/**
 * Where the operator's Pod finds the backup claims and the tool that verifies a backup: the claim named in
 * {@code spec.backup.volumeClaim} is mounted at {@code root/<claim>} (deploy/kubernetes/20-operator.yaml mounts
 * {@code vkv-backups} there), and {@code vkvJar} is vkv's jar in the operator image, for {@code vkv snapshot status}.
 */
public record BackupMounts(Path root, Path vkvJar) {
  public static final BackupMounts IN_OPERATOR_IMAGE =
      new BackupMounts(Path.of("/var/lib/vkv-operator/backups"), Path.of("/opt/vkv/vkv.jar"));

  Path volume(String claim) {
    return root.resolve(claim);
  }
}
