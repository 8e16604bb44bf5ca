package io.vkv.node.snapshot;

import io.vkv.node.cluster.Membership;
import io.vkv.node.raft.RaftProposer;
import io.vkv.store.MvccStore;
import io.vkv.store.StoreConfig;
import io.vkv.store.etcdformat.EtcdSnapshotReader;
import io.vkv.wal.Wal;
import io.vkv.wal.WalConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Builds a new member's data dir from a snapshot file (vkv's or etcd's; both are etcd's format): the store filled
 * from the file, and a WAL bootstrapped with the new membership (new member ids and cluster id, from the peer URLs
 * and the token, as a first start computes them). Every member restored from the same file with the same flags gets
 * the same store at the same index, so they form one cluster. Everything is built in a temp dir beside the target
 * and renamed into place at the end: a failure leaves no data dir behind.
 */
public final class SnapshotRestorer {
  /** The index the bootstrap record takes; the restored store counts as applied up to it. */
  static final long BOOTSTRAP_INDEX = 1;

  /** What the restore was asked to build. */
  public record Target(Path dataDir, String name, Map<String, List<URI>> initialCluster, String token) {}

  private SnapshotRestorer() {}

  public static EtcdSnapshotReader.Loaded restore(Path snapshot, Target target, boolean skipHashCheck) throws IOException {
    if (!Files.isRegularFile(snapshot)) throw new SnapshotException("snapshot file " + snapshot + " does not exist");
    if (!target.initialCluster().containsKey(target.name())) {
      throw new SnapshotException("--initial-cluster has no member named '" + target.name() + "'");
    }
    Path dataDir = target.dataDir().toAbsolutePath();
    if (Files.exists(dataDir) && !isEmptyDir(dataDir)) throw new SnapshotException("data-dir \"" + target.dataDir() + "\" exists");
    SnapshotIntegrity.check(snapshot, skipHashCheck);
    Files.createDirectories(dataDir.getParent());
    Path building = Files.createTempDirectory(dataDir.getParent(), "." + dataDir.getFileName() + ".restoring-");
    try {
      EtcdSnapshotReader.Loaded loaded = build(snapshot, target, building);
      if (Files.exists(dataDir)) Files.delete(dataDir); // empty, checked above
      Files.move(building, dataDir, StandardCopyOption.ATOMIC_MOVE);
      return loaded;
    } catch (IOException | RuntimeException e) {
      deleteTree(building);
      throw e;
    } catch (Exception e) {
      deleteTree(building);
      throw new IOException(e.getMessage(), e);
    }
  }

  private static EtcdSnapshotReader.Loaded build(Path snapshot, Target target, Path dir) throws Exception {
    Path member = dir.resolve("member");
    EtcdSnapshotReader.Loaded[] loaded = new EtcdSnapshotReader.Loaded[1];
    try (MvccStore store = MvccStore.open(new StoreConfig(member.resolve("store"), 0))) {
      store.load(loader -> loaded[0] = EtcdSnapshotReader.load(snapshot, loader, BOOTSTRAP_INDEX));
    }
    Membership membership = new Membership(target.name(), target.initialCluster(), target.token(), List.of());
    try (Wal wal = Wal.open(WalConfig.defaults(member.resolve("wal")))) {
      RaftProposer.bootstrap(wal, membership);
    }
    return loaded[0];
  }

  private static boolean isEmptyDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
