package io.vkv.node.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * etcd's integrity trailer on a saved snapshot: the SHA-256 of the database, appended as the last 32 bytes. A bbolt
 * file is whole pages, so a file whose size is 32 more than a multiple of 512 carries the trailer (etcd's own test).
 */
final class SnapshotIntegrity {
  static final int SHA_LENGTH = 32;

  private SnapshotIntegrity() {}

  /** Checks the trailer (or its absence when {@code skipHashCheck}); returns the database's length in the file. */
  static long check(Path file, boolean skipHashCheck) throws IOException {
    long size = Files.size(file);
    boolean hasHash = size % 512 == SHA_LENGTH;
    if (!hasHash) {
      if (!skipHashCheck) throw new SnapshotException("snapshot missing hash but --skip-hash-check=false");
      return size;
    }
    long dbLength = size - SHA_LENGTH;
    if (skipHashCheck) return dbLength;
    MessageDigest sha = SnapshotStreamer.sha256();
    byte[] trailer = new byte[SHA_LENGTH];
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = dbLength;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) throw new SnapshotException("snapshot file shrank while being read");
        sha.update(buf, 0, n);
        left -= n;
      }
      if (in.readNBytes(trailer, 0, SHA_LENGTH) != SHA_LENGTH) throw new SnapshotException("snapshot file shrank while being read");
    }
    byte[] computed = sha.digest();
    if (!Arrays.equals(computed, trailer)) {
      throw new SnapshotException("expected sha256 " + HexFormat.of().formatHex(trailer) + ", got " + HexFormat.of().formatHex(computed)
          + ": the snapshot file is damaged or truncated");
    }
    return dbLength;
  }
}
