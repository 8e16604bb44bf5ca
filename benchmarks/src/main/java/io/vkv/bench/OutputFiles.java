package io.vkv.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Checks output file flags before a run, so that a long run does not end in "no such directory". */
final class OutputFiles {
  private OutputFiles() {
  }

  static void check(String flag, String file) {
    if (file == null) return;
    if (file.isBlank()) throw new IllegalArgumentException(flag + " needs a file name");
    Path path = Paths.get(file).toAbsolutePath();
    if (Files.isDirectory(path)) throw new IllegalArgumentException(flag + ": " + file + " is a directory");
    Path parent = path.getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new IllegalArgumentException(flag + ": directory " + parent + " does not exist");
    }
  }
}
