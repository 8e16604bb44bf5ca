package io.vkv.operator.backend.local;

import io.vkv.operator.backend.Backend;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.backup.VkvSnapshotStatus;
import io.vkv.operator.spec.VkvCluster;
import java.nio.file.Path;
import java.util.List;

/** The single-host backend: members under {@code spec.storage.dataRoot}, backups in {@code spec.backup.directory}. */
public final class SingleHost implements Backend {
  private final Path specDir;
  private final VersionJars jars;
  private final List<String> memberJvmOptions;

  /** Relative paths in the spec are resolved from {@code specDir}. */
  public SingleHost(Path specDir, Path currentJar, List<String> memberJvmOptions) {
    this.specDir = specDir.toAbsolutePath();
    this.jars = new VersionJars(currentJar, specDir);
    this.memberJvmOptions = List.copyOf(memberJvmOptions);
  }

  @Override
  public LocalPlatform platform(VkvCluster cluster) {
    return new LocalPlatform(specDir.resolve(cluster.spec().storage().dataRoot()), jars, memberJvmOptions);
  }

  @Override
  public BackupStore backups(VkvCluster cluster) {
    if (cluster.spec().backup() == null) return null;
    return new BackupStore(specDir.resolve(cluster.spec().backup().directory()), cluster.name(),
        new VkvSnapshotStatus(jars.jarFor(cluster.spec().versionOrDefault())));
  }

}
