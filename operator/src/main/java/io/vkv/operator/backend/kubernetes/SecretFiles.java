package io.vkv.operator.backend.kubernetes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where the operator writes what it reads from TLS Secrets (its TLS client takes PEM files): one private temporary
 * directory per operator process (mode 700), made on first use, so an operator without TLS clusters writes nothing,
 * and removed when the process exits, so no private key outlives it there.
 */
final class SecretFiles {
  private static Path root;

  private SecretFiles() {}

  static synchronized Path root() throws IOException {
    if (root == null) {
      Path made = Files.createTempDirectory("vkv-operator-secrets-");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAtExit(made), "vkv-operator-secrets-cleanup"));
      root = made;
    }
    return root;
  }

  /** Deletes {@code dir} and everything under it, if it exists. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static void deleteAtExit(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException e) {
      // best effort at exit: what someone else removed or holds meanwhile stays as it is
    }
  }
}
