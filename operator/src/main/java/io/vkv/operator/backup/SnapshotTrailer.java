package io.vkv.operator.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Checks a saved snapshot's integrity trailer: etcd appends the SHA-256 of the database as the last 32 bytes, and a
 * bbolt database is whole pages, so a complete file is 32 bytes more than a multiple of 512.
 */
public final class SnapshotTrailer {
  private static final int SHA_LENGTH = 32;

  private SnapshotTrailer() {}

  public static void verify(Path file) throws IOException {
    long size = Files.size(file);
    if (size < 512 + SHA_LENGTH || size % 512 != SHA_LENGTH) {
      throw new IOException(file + ": " + size + " bytes is not a database followed by its SHA-256 (truncated?)");
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] trailer = new byte[SHA_LENGTH];
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      long left = size - SHA_LENGTH;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) throw new IOException(file + " shrank while being read");
        sha.update(buf, 0, n);
        left -= n;
      }
      if (in.readNBytes(trailer, 0, SHA_LENGTH) != SHA_LENGTH) throw new IOException(file + " shrank while being read");
    }
    if (!Arrays.equals(sha.digest(), trailer)) throw new IOException(file + ": SHA-256 trailer does not match the database");
  }
}
