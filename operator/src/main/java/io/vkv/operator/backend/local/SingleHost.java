package io.vkv.operator.backend.local;

import io.vkv.operator.backend.Backend;
import io.vkv.operator.backup.BackupStore;
import io.vkv.operator.backup.VkvSnapshotStatus;
import io.vkv.operator.cluster.ClusterAccess;
import io.vkv.operator.spec.ClusterSpec;
import io.vkv.operator.spec.VkvCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    return new LocalPlatform(dataRoot(cluster), jars, memberJvmOptions, tls(cluster));
  }

  /** How the operator reaches the members: their TLS, and root's password when the spec has auth. */
  @Override
  public ClusterAccess access(VkvCluster cluster) throws IOException {
    ClusterSpec.AuthSpec auth = cluster.spec().auth();
    String password = auth == null ? null : rootPassword(specDir.resolve(auth.rootPasswordSecret()));
    return tls(cluster).access(auth == null ? null : "root", password);
  }

  public LocalTls tls(VkvCluster cluster) {
    ClusterSpec.TlsSpec t = cluster.spec().tls();
    return t == null ? LocalTls.none() : new LocalTls(t, specDir, dataRoot(cluster), cluster.name());
  }

  private Path dataRoot(VkvCluster cluster) {
    return specDir.resolve(cluster.spec().storage().dataRoot()).toAbsolutePath().normalize();
  }

  /** The first line of the file, without its line end (as a Kubernetes Secret's value would hold it). */
  private static String rootPassword(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new IOException("spec.auth.rootPasswordSecret: no file " + file);
    String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    if (first.isEmpty()) throw new IOException("spec.auth.rootPasswordSecret: " + file + " is empty");
    return first;
  }

  @Override
  public BackupStore backups(VkvCluster cluster) {
    if (cluster.spec().backup() == null) return null;
    return new BackupStore(specDir.resolve(cluster.spec().backup().directory()), cluster.name(),
        new VkvSnapshotStatus(jars.jarFor(cluster.spec().versionOrDefault())));
  }

}
