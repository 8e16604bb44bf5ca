package io.vkv.operator.backup;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a snapshot file's last revision; reading it also checks that the file is a whole, readable database. */
@FunctionalInterface
public interface SnapshotInspector {
  long revision(Path snapshot) throws IOException;
}
