package io.vkv.operator.backup;

import io.vkv.operator.cluster.ClusterApi;
import io.vkv.operator.reconcile.BackupFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The backup directory: {@code <cluster>-<UTC time>-r<revision>.db}, each verified before it gets its name. A
 * snapshot is streamed into a hidden {@code .part} file, its SHA-256 trailer checked, its revision read from the file
 * itself (by {@link SnapshotInspector}), and only then moved to its final name; a crash leaves a {@code .part}
 * file, which is never listed and is removed by the next backup.
 */
public final class BackupStore {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  /** A mounted volume that must be there before anything is written (null: the directory is created as needed). */
  private final Path volume;
  private final String cluster;
  private final Pattern names;
  private final SnapshotInspector inspector;

  public BackupStore(Path dir, String cluster, SnapshotInspector inspector) {
    this(null, dir, cluster, inspector);
  }

  private BackupStore(Path volume, Path dir, String cluster, SnapshotInspector inspector) {
    this.volume = volume;
    this.dir = dir.toAbsolutePath().normalize();
    this.cluster = cluster;
    this.names = Pattern.compile(Pattern.quote(cluster) + "-(\\d{8}T\\d{9}Z)-r(\\d+)\\.db");
    this.inspector = inspector;
  }

  /**
   * Backups in {@code directory} inside a volume mounted at {@code volume}: when the volume is not there (not
   * mounted) nothing is listed and a backup fails saying so, rather than writing into the container's own disk.
   */
  public static BackupStore onVolume(Path volume, String directory, String cluster, SnapshotInspector inspector) {
    return new BackupStore(volume, volume.resolve(directory), cluster, inspector);
  }

  public List<BackupFile> list() throws IOException {
    List<BackupFile> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = names.matcher(f.getFileName().toString());
        if (m.matches()) {
          out.add(new BackupFile(f.getFileName().toString(), Instant.from(STAMP.parse(m.group(1))), Long.parseLong(m.group(2))));
        }
      }
    }
    return out;
  }

  /** Takes, verifies and names one backup from the member at {@code clientUrl}; returns its name. */
  public String take(ClusterApi admin, String clientUrl, Instant now) throws IOException {
    if (volume != null && !Files.isDirectory(volume)) throw new IOException("the backup volume is not mounted at " + volume);
    Files.createDirectories(dir);
    removeParts();
    Path part = dir.resolve("." + cluster + "-" + STAMP.format(now) + ".db.part");
    try {
      admin.snapshot(clientUrl, part);
      SnapshotTrailer.verify(part);
      long revision = inspector.revision(part);
      String name = cluster + "-" + STAMP.format(now) + "-r" + revision + ".db";
      Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      return name;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  public void delete(String name) throws IOException {
    if (!names.matcher(name).matches()) throw new IOException("not a backup of " + cluster + ": " + name);
    Files.deleteIfExists(dir.resolve(name));
  }

  public Path path(String name) {
    return dir.resolve(name);
  }

  private void removeParts() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String n = f.getFileName().toString();
        if (n.startsWith("." + cluster + "-") && n.endsWith(".db.part")) Files.deleteIfExists(f);
      }
    }
  }
}
