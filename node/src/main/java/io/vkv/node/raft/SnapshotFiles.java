package io.vkv.node.raft;

import io.vkv.node.apply.Applier;
import io.vkv.node.peer.SnapshotReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The snapshot directory ({@code <data-dir>/member/snap}): copies being sent ({@code out-*}), transfers being
 * received ({@code incoming-*.tmp}) and received copies waiting to be installed ({@code <index>/data.mdb}).
 */
final class SnapshotFiles {
  private static final Logger LOG = Logger.getLogger(SnapshotFiles.class.getName());

  private SnapshotFiles() {}

  /**
   * On start: if the WAL records a snapshot the store does not hold yet (a crash between persisting a received
   * snapshot and installing it), installs the received copy now. Then removes whatever else is left over.
   * Returns whether it installed one.
   */
  static boolean recover(Path dir, long walSnapshotIndex, Applier applier) {
    boolean installed = false;
    Path copy = SnapshotReceiver.receivedDir(dir, walSnapshotIndex);
    if (applier.appliedIndex() < walSnapshotIndex && Files.isRegularFile(copy.resolve("data.mdb"))) {
      applier.restore(copy);
      installed = true;
      LOG.info(() -> "installed the received snapshot at index " + walSnapshotIndex + " left by the last run");
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> leftovers = Files.list(dir)) {
        leftovers.forEach(SnapshotFiles::deleteTree);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return installed;
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) return;
    try (Stream<Path> all = Files.walk(p)) {
      all.sorted(Comparator.reverseOrder()).forEach(f -> {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
